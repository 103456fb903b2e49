import Core
import Telegram

/// Button presses. A button that belongs to a step the chat is no longer in (an old message, a
/// flow that expired or was cancelled) gets a polite callback answer and changes nothing.
extension ChatConversation {
    mutating func applyCallback(_ callback: CallbackQuery) async throws {
        guard let action = callback.data.flatMap(CallbackAction.init(data:)) else {
            return stale()
        }
        switch action {
        case .topic(let topic):
            guard session.step == .subscribeTopic else { return stale() }
            try await chooseTopic(topic.name)
        case .slot(let slot):
            guard session.step == .subscribeSlot else { return stale() }
            try await chooseSlot(slot)
        case .keepSlots:
            guard session.step == .subscribeSlot else { return stale() }
            try await chooseSlot(nil)
        case .zone(let zone):
            switch session.step {
            case .subscribeZone: try await finishSubscription(zone: zone)
            case .timeZone: try await setZone(zone)
            default: return stale()
            }
        case .toggleSlot(let slot):
            guard session.step == .timeMenu else { return stale() }
            try await toggle(slot)
        case .chooseZone:
            guard session.step == .timeMenu else { return stale() }
            askZone()
        case .remove(let hash):
            guard let topic = subscriber?.topics.first(where: { CallbackAction.hash($0) == hash }) else { return stale() }
            try await remove(topic)
            callbackAnswer = strings.done
        case .undo(let hash, let slot, let addedTopic, let addedSlot, let setZone):
            try await undo(topicHash: hash, slot: slot, addedTopic: addedTopic, addedSlot: addedSlot, setZone: setZone)
        case .language(let language):
            try await setLanguage(language)
        case .cancel:
            guard session.step.isInFlow else { return stale() }
            cancel()
        }
    }

    private mutating func stale() {
        callbackAnswer = strings.staleButton
    }
}
