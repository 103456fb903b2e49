import Foundation
import Synchronization

/// In-memory `SubscriberStore` for unit tests and `newsbot demo`-style throwaway runs.
public final class MemorySubscriberStore: SubscriberStore {
    private struct RunRecord {
        var run: SlotRun
        var users: [Int64: RunUserOutcome] = [:]
    }

    private struct DigestKey: Hashable {
        var userID: Int64
        var slot: Slot
        var date: LocalDate
    }

    private struct State {
        var subscribers: [Int64: Subscriber] = [:]
        var runs: [SlotRunKey: RunRecord] = [:]
        var messages: [DeliveryKey: DigestMessage] = [:]
        var messagesByDigest: [DigestKey: [DeliveryKey]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func upsert(_ subscribers: [Subscriber]) async throws {
        state.withLock { s in for subscriber in subscribers { s.subscribers[subscriber.id] = subscriber } }
    }

    public func subscriber(id: Int64) async throws -> Subscriber? {
        state.withLock { $0.subscribers[id] }
    }

    public func update(id: Int64, _ change: @Sendable (inout Subscriber) -> Void) async throws -> Subscriber? {
        state.withLock { s in
            guard var subscriber = s.subscribers[id] else { return nil }
            change(&subscriber)
            subscriber = Subscriber(id: subscriber.id, chatID: subscriber.chatID, language: subscriber.language,
                                    timeZone: subscriber.timeZone, status: subscriber.status,
                                    slots: subscriber.slots, topics: subscriber.topics)
            s.subscribers[id] = subscriber
            return subscriber
        }
    }

    public func dueSubscribers(slot: Slot, timeZones: Set<String>?, afterID: Int64?, limit: Int) async throws -> [Subscriber] {
        state.withLock { s in
            s.subscribers.values
                .filter { sub in
                    sub.status == .active && sub.slots.contains(slot) && (afterID.map { sub.id > $0 } ?? true)
                        && (timeZones.map { $0.contains(sub.timeZone ?? "UTC") } ?? true)
                }
                .sorted { $0.id < $1.id }
                .prefix(limit)
                .map { $0 }
        }
    }

    public func scheduleEntries() async throws -> [ScheduleEntry] {
        state.withLock { s in
            var entries = Set<ScheduleEntry>()
            for sub in s.subscribers.values where sub.status == .active {
                for slot in sub.slots { entries.insert(ScheduleEntry(timeZone: sub.timeZone ?? "UTC", slot: slot)) }
            }
            return entries.sorted { ($0.timeZone, $0.slot) < ($1.timeZone, $1.slot) }
        }
    }

    public func subscriberCount() async throws -> Int { state.withLock { $0.subscribers.count } }

    public func createRun(_ key: SlotRunKey, at now: Date) async throws -> (run: SlotRun, created: Bool) {
        let created = state.withLock { s -> Bool in
            guard s.runs[key] == nil else { return false }
            s.runs[key] = RunRecord(run: SlotRun(key: key, createdAt: now, updatedAt: now))
            return true
        }
        return (try await run(key)!, created)
    }

    public func run(_ key: SlotRunKey) async throws -> SlotRun? {
        state.withLock { s in s.runs[key].map { Self.aggregate($0, s) } }
    }

    public func runs(limit: Int) async throws -> [SlotRun] {
        state.withLock { s in
            s.runs.values.map { Self.aggregate($0, s) }
                .sorted { ($0.createdAt, $0.key) > ($1.createdAt, $1.key) }
                .prefix(limit).map { $0 }
        }
    }

    public func markRunCompleted(_ key: SlotRunKey, at now: Date) async throws {
        state.withLock { s in
            if s.runs[key]?.run.completedAt == nil { s.runs[key]?.run.completedAt = now }
            s.runs[key]?.run.updatedAt = now
        }
    }

    public func addRunUsers(_ key: SlotRunKey, userIDs: [Int64]) async throws -> Int {
        state.withLock { s in
            guard s.runs[key] != nil else { return 0 }
            var added = 0
            for id in userIDs where s.runs[key]!.users[id] == nil {
                s.runs[key]!.users[id] = .pending
                added += 1
            }
            if added > 0 { s.runs[key]!.run.completedAt = nil }
            return added
        }
    }

    public func pendingRunUsers(_ key: SlotRunKey, afterID: Int64?, limit: Int) async throws -> [Int64] {
        state.withLock { s in
            (s.runs[key]?.users ?? [:])
                .filter { entry in entry.value == .pending && (afterID.map { entry.key > $0 } ?? true) }
                .keys.sorted().prefix(limit).map { $0 }
        }
    }

    public func setRunUserOutcome(_ key: SlotRunKey, userID: Int64, _ outcome: RunUserOutcome) async throws {
        state.withLock { s in
            guard s.runs[key]?.users[userID] != nil else { return }
            s.runs[key]!.users[userID] = outcome
        }
    }

    public func saveDigestMessages(_ messages: [DigestMessage]) async throws -> [DigestMessage] {
        state.withLock { s in
            var result: [DigestMessage] = []
            let grouped = Dictionary(grouping: messages) { DigestKey(userID: $0.key.userID, slot: $0.key.slot, date: $0.key.date) }
            for (digest, parts) in grouped.sorted(by: { $0.key.userID < $1.key.userID }) {
                if s.messagesByDigest[digest] == nil {
                    for message in parts { s.messages[message.key] = message }
                    s.messagesByDigest[digest] = parts.map(\.key).sorted { $0.part < $1.part }
                }
                result += s.messagesByDigest[digest]!.compactMap { s.messages[$0] }
            }
            return result
        }
    }

    public func digestMessage(_ key: DeliveryKey) async throws -> DigestMessage? {
        state.withLock { $0.messages[key] }
    }

    public func undeliveredMessages(_ run: SlotRunKey, afterUserID: Int64?, limit: Int) async throws -> [DigestMessage] {
        state.withLock { s in
            let open = s.messages.values
                .filter { message in message.run == run && message.deliveredAt == nil && message.failure == nil
                    && (afterUserID.map { message.key.userID > $0 } ?? true) }
                .sorted { ($0.key.userID, $0.key.part) < ($1.key.userID, $1.key.part) }
            // Never split a user's parts across pages: the next page starts after the last user.
            guard open.count > limit, let last = open.prefix(limit).last else { return Array(open.prefix(limit)) }
            return Array(open.prefix { ($0.key.userID, $0.key.part) <= (last.key.userID, Int.max) })
        }
    }

    public func markDelivered(_ key: DeliveryKey, at now: Date) async throws -> Bool {
        state.withLock { s in
            guard let message = s.messages[key], message.deliveredAt == nil else { return false }
            s.messages[key]!.deliveredAt = now
            s.messages[key]!.failure = nil
            return true
        }
    }

    public func markFailed(_ key: DeliveryKey, reason: String, at now: Date) async throws {
        state.withLock { s in
            guard s.messages[key]?.deliveredAt == nil else { return }
            s.messages[key]?.failure = reason
        }
    }

    public func deliveredURLs(userIDs: [Int64], since: Date) async throws -> [Int64: Set<String>] {
        let wanted = Set(userIDs)
        return state.withLock { s in
            var result: [Int64: Set<String>] = [:]
            for message in s.messages.values where wanted.contains(message.key.userID) {
                if let at = message.deliveredAt, at >= since { result[message.key.userID, default: []].formUnion(message.urls) }
            }
            return result
        }
    }

    private static func aggregate(_ record: RunRecord, _ s: State) -> SlotRun {
        var run = record.run
        var counts = SlotRunCounts(usersDue: record.users.count)
        for outcome in record.users.values {
            switch outcome {
            case .pending: counts.usersPending += 1
            case .rendered: counts.usersWithDigest += 1
            case .skipped(let reason): counts.usersSkipped[reason, default: 0] += 1
            }
        }
        for message in s.messages.values where message.run == record.run.key {
            counts.messages += 1
            if message.deliveredAt != nil { counts.messagesDelivered += 1 } else if message.failure != nil { counts.messagesFailed += 1 }
        }
        run.counts = counts
        return run
    }
}
