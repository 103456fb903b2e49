import Core
import Foundation
import Telegram

/// `/start` and `/subscribe`: topic → time → time zone (only while unset) → saved.
extension ChatConversation {
    /// Greets, and registers the user or re-activates them after they had blocked the bot.
    mutating func start() async throws {
        let name = Self.escape(user?.firstName ?? "")
        guard let existing = subscriber else {
            let created = Subscriber(id: userID, chatID: chatID, language: strings.language)
            try await store.upsert(created)
            subscriber = created
            say(strings.welcome(name))
            return
        }
        if existing.status == .blocked || existing.chatID != chatID {
            let chatID = self.chatID
            try await updateSubscriber { subscriber in
                subscriber.chatID = chatID
                if subscriber.status == .blocked { subscriber.status = .active }
            }
        }
        say(subscriber?.status == .paused ? strings.welcomePaused(name) : strings.welcomeBack(name))
    }

    /// `/subscribe [TOPIC]`: asks for a topic, or takes the argument as the answer.
    mutating func subscribe(_ argument: String) async throws {
        if let subscriber, subscriber.topics.count >= configuration.maxTopics {
            say(strings.topicLimitReached(configuration.maxTopics))
            return
        }
        session.enter(.subscribeTopic, at: now)
        if argument.isEmpty {
            say(strings.askTopic, keyboards.topics(excluding: subscriber?.topics ?? []))
        } else {
            try await chooseTopic(argument)
        }
    }

    mutating func chooseTopic(_ text: String) async throws {
        let keyboard = keyboards.topics(excluding: subscriber?.topics ?? [])
        guard !text.trimmingWhitespace().hasPrefix("/"), let topic = Topic(text),
              topic.name.contains(where: { $0.isLetter || $0.isNumber }) else {
            return reprompt(strings.topicInvalid, keyboard)
        }
        guard topic.name.count <= configuration.maxTopicLength else {
            return reprompt(strings.topicTooLong(configuration.maxTopicLength), keyboard)
        }
        if subscriber?.topics.contains(topic) == true {
            return reprompt(strings.topicAlreadySubscribed(Self.escape(topic.name)), keyboard)
        }
        session.topic = topic
        session.enter(.subscribeSlot, at: now)
        say(strings.askSlot(Self.escape(topic.name)), keyboards.slots(current: subscriber?.slots ?? []))
    }

    /// A time for the new topic (nil: keep the times the user has).
    mutating func chooseSlot(_ slot: Slot?) async throws {
        let current = subscriber?.slots ?? []
        if let slot {
            if !current.contains(slot), current.count >= configuration.maxSlots {
                return reprompt(strings.slotLimitReached(configuration.maxSlots), keyboards.slots(current: current))
            }
            session.slot = slot
            session.keepSlots = false
        } else {
            guard !current.isEmpty else { return reprompt(strings.slotInvalid, keyboards.slots(current: current)) }
            session.slot = nil
            session.keepSlots = true
        }
        if subscriber?.timeZone == nil {
            session.enter(.subscribeZone, at: now)
            say(strings.askZone, keyboards.zones())
        } else {
            try await finishSubscription(zone: nil)
        }
    }

    /// Saves the topic, the time and (when it was asked) the zone at once, and answers with one
    /// summary carrying an undo button that names exactly what changed.
    mutating func finishSubscription(zone: String?) async throws {
        guard let topic = session.topic, session.slot != nil || session.keepSlots else {
            // A state written by a different version: start over rather than guess.
            session.finishFlow()
            say(strings.flowExpired)
            return
        }
        let before = try await storedOrNewSubscriber()
        let slot = session.keepSlots ? nil : session.slot
        let addedTopic = !before.topics.contains(topic)
        if addedTopic, before.topics.count >= configuration.maxTopics {
            session.finishFlow()
            say(strings.topicLimitReached(configuration.maxTopics))
            return
        }
        let addedSlot = slot.map { !before.slots.contains($0) } ?? false
        let setZone = zone != nil && before.timeZone == nil
        let after = try await updateSubscriber { subscriber in
            subscriber.topics.append(topic)
            if let slot { subscriber.slots.append(slot) }
            if let zone { subscriber.timeZone = zone }
        }
        session.finishFlow()
        var text = strings.subscribed(Self.escape(topic.name), keyboards.slotList(after.slots), zoneName)
        if let next = NextDelivery(slots: after.slots, zone: after.resolvedTimeZone, after: now) {
            text += "\n" + next.line(strings)
        }
        if after.status == .paused { text += "\n" + strings.pausedNote }
        let undo = CallbackAction.undo(topicHash: CallbackAction.hash(topic), slot: slot, addedTopic: addedTopic,
                                       addedSlot: addedSlot, setZone: setZone)
        say(text, keyboards.undo(undo))
    }

    /// The summary's undo button: reverts what that `/subscribe` added, if it is still there.
    mutating func undo(topicHash: String, slot: Slot?, addedTopic: Bool, addedSlot: Bool, setZone: Bool) async throws {
        guard let current = subscriber,
              let topic = current.topics.first(where: { CallbackAction.hash($0) == topicHash }) else {
            callbackAnswer = strings.nothingToUndo
            return
        }
        try await updateSubscriber { subscriber in
            if addedTopic { subscriber.topics.removeAll { $0 == topic } }
            if addedSlot, let slot { subscriber.slots.removeAll { $0 == slot } }
            if setZone { subscriber.timeZone = nil }
        }
        callbackAnswer = strings.done
        say(strings.undone(Self.escape(topic.name)))
    }
}
