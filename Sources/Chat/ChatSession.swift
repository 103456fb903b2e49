import Core
import Foundation

/// One chat's conversation as the chat front reads it: the typed view of the
/// `ConversationState` kept in the conversation-state store.
///
/// The stored record lives for `UpdateRouter.Configuration.recordTTL` (longer than Telegram keeps
/// undelivered updates), so `lastUpdateID` recognises replays for as long as Telegram could send
/// them; a half-finished flow expires sooner, after `flowTTL` without activity, checked here
/// against `flowTouchedAt`.
struct ChatSession: Sendable, Hashable {
    var step: ChatStep
    /// The topic chosen in `/subscribe`.
    var topic: Topic?
    /// The delivery time chosen in `/subscribe`.
    var slot: Slot?
    /// Whether `/subscribe` kept the user's existing times instead of adding one.
    var keepSlots: Bool
    /// Last activity in the current flow.
    var flowTouchedAt: Date?
    /// Last accepted `/digest`, for its per-user cooldown.
    var digestRequestedAt: Date?
    var lease: ConversationLease?
    var lastUpdateID: Int64?

    private enum Key {
        static let topic = "topic"
        static let slot = "slot"
        static let keepSlots = "keep_slots"
        static let touched = "touched"
        static let digest = "digest_at"
        static let lease = ConversationLease.key
    }

    init() {
        step = .idle
        keepSlots = false
    }

    /// Reads a stored state; anything unreadable (an unknown step from a newer version) is idle.
    init(_ state: ConversationState?) {
        self.init()
        guard let state else { return }
        step = ChatStep(rawValue: state.step) ?? .idle
        topic = state.data[Key.topic].flatMap(Topic.init)
        slot = state.data[Key.slot].flatMap { Slot($0) }
        keepSlots = state.data[Key.keepSlots] == "1"
        flowTouchedAt = state.data[Key.touched].flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        digestRequestedAt = state.data[Key.digest].flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        lease = state.data[Key.lease].flatMap(ConversationLease.init(encoded:))
        lastUpdateID = state.lastUpdateID
    }

    var state: ConversationState {
        var data: [String: String] = [:]
        if let topic { data[Key.topic] = topic.name }
        if let slot { data[Key.slot] = slot.description }
        if keepSlots { data[Key.keepSlots] = "1" }
        if let flowTouchedAt { data[Key.touched] = String(flowTouchedAt.timeIntervalSince1970) }
        if let digestRequestedAt { data[Key.digest] = String(digestRequestedAt.timeIntervalSince1970) }
        if let lease { data[Key.lease] = lease.encoded }
        return ConversationState(step: step.rawValue, data: data, lastUpdateID: lastUpdateID)
    }

    /// Whether a flow is in progress but was left alone longer than `ttl`.
    func flowExpired(at now: Date, ttl: Duration) -> Bool {
        guard step.isInFlow else { return false }
        guard let flowTouchedAt else { return true }
        return now.timeIntervalSince(flowTouchedAt) > ttl.timeInterval
    }

    /// Moves to `step` of a flow, marking activity now.
    mutating func enter(_ step: ChatStep, at now: Date) {
        self.step = step
        flowTouchedAt = now
    }

    /// Leaves any flow and forgets its data; keeps what outlives flows.
    mutating func finishFlow() {
        step = .idle
        topic = nil
        slot = nil
        keepSlots = false
        flowTouchedAt = nil
    }
}
