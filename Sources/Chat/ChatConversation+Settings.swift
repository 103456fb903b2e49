import Core
import Foundation
import Metrics

/// `/topics`, `/unsubscribe`, `/time`, `/pause`, `/resume`, `/digest`, `/lang`.
extension ChatConversation {
    mutating func showTopics() {
        guard let subscriber, !subscriber.topics.isEmpty else {
            say(strings.noTopics)
            return
        }
        say(strings.topicsList(subscriber.topics.map { Self.escape($0.name) }, keyboards.slotList(subscriber.slots), zoneName),
            keyboards.remove(subscriber.topics))
    }

    /// `/unsubscribe TOPIC`; without a topic, the list with remove buttons.
    mutating func unsubscribe(_ argument: String) async throws {
        guard !argument.isEmpty else { return showTopics() }
        guard let topic = Topic(argument), subscriber?.topics.contains(topic) == true else {
            say(strings.notSubscribed(Self.escape(argument.trimmingWhitespace())))
            return
        }
        try await remove(topic)
    }

    mutating func remove(_ topic: Topic) async throws {
        try await updateSubscriber { $0.topics.removeAll { $0 == topic } }
        say(strings.removed(Self.escape(topic.name)))
    }

    mutating func showTimeMenu() async throws {
        let current = try await ensureSubscriber()
        session.enter(.timeMenu, at: now)
        say(strings.timeMenu(keyboards.slotList(current.slots), zoneName), keyboards.timeMenu(current: current.slots))
    }

    /// Adds a time the user lacks, removes one they hold.
    mutating func toggle(_ slot: Slot) async throws {
        let current = try await storedOrNewSubscriber().slots
        if current.contains(slot) {
            let after = try await updateSubscriber { $0.slots.removeAll { $0 == slot } }
            session.finishFlow()
            say(strings.slotRemoved(slot.description, keyboards.slotList(after.slots)))
        } else if current.count >= configuration.maxSlots {
            reprompt(strings.slotLimitReached(configuration.maxSlots), keyboards.timeMenu(current: current))
        } else {
            let after = try await updateSubscriber { $0.slots.append(slot) }
            session.finishFlow()
            say(strings.slotAdded(slot.description, keyboards.slotList(after.slots)))
        }
    }

    /// `/time` → time zone: asks for it.
    mutating func askZone() {
        session.enter(.timeZone, at: now)
        say(strings.askZone, keyboards.zones())
    }

    mutating func setZone(_ zone: String) async throws {
        let after = try await updateSubscriber { $0.timeZone = zone }
        session.finishFlow()
        var text = strings.zoneSet(zone)
        if let next = NextDelivery(slots: after.slots, zone: after.resolvedTimeZone, after: now) {
            text += "\n" + next.line(strings)
        }
        say(text)
    }

    mutating func pause() async throws {
        if try await ensureSubscriber().status == .paused {
            say(strings.alreadyPaused)
            return
        }
        try await updateSubscriber { $0.status = .paused }
        say(strings.paused)
    }

    mutating func resume() async throws {
        if try await ensureSubscriber().status == .active {
            say(strings.alreadyActive)
            return
        }
        try await updateSubscriber { $0.status = .active }
        say(strings.resumed)
    }

    /// Puts an on-demand digest job on the trigger queue, at most once per cooldown per chat.
    mutating func digest() async throws {
        guard let subscriber, !subscriber.topics.isEmpty else {
            say(strings.digestNoTopics)
            return
        }
        if let last = session.digestRequestedAt {
            let remaining = configuration.digestCooldown.timeInterval - now.timeIntervalSince(last)
            if remaining > 0 {
                // Whole seconds first: the stored request time keeps no fractions of a second.
                say(strings.digestTooSoon(max(1, (Int(remaining) + 59) / 60)))
                return
            }
        }
        try await queue.push(OnDemandDigestRequest(userID: subscriber.id).encoded(), to: OnDemandDigestRequest.queue)
        ChatMetrics.digestRequests.increment()
        session.digestRequestedAt = now
        say(strings.digestQueued)
    }

    /// `/lang [en|ru]`.
    mutating func language(_ argument: String) async throws {
        if let language = Self.language(named: argument) {
            return try await setLanguage(language)
        }
        session.enter(.language, at: now)
        say(argument.isEmpty ? strings.chooseLanguage : strings.languageInvalid, keyboards.languages())
    }

    mutating func setLanguage(_ language: Language) async throws {
        try await updateSubscriber { $0.language = language }
        strings = ChatStrings.forLanguage(language)
        session.finishFlow()
        say(strings.languageSet)
    }
}
