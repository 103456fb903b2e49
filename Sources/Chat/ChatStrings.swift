import Core

/// Every text the bot says, in one language. Values that come from users (topics, names) are
/// HTML-escaped by the caller before they are passed in: replies use Telegram's HTML mode.
///
/// The language is the subscriber's (`/lang`), else the one of the user's Telegram client
/// (`language_code`); anything but Russian falls back to English.
public struct ChatStrings: Sendable {
    public let language: Language

    let welcome: @Sendable (_ name: String) -> String
    let welcomeBack: @Sendable (_ name: String) -> String
    let welcomePaused: @Sendable (_ name: String) -> String
    let help: String
    let unknownCommand: String
    let idleText: String
    let flowExpired: String
    let textExpected: String

    let askTopic: String
    let topicInvalid: String
    let topicTooLong: @Sendable (_ max: Int) -> String
    let topicAlreadySubscribed: @Sendable (_ topic: String) -> String
    let topicLimitReached: @Sendable (_ max: Int) -> String
    let askSlot: @Sendable (_ topic: String) -> String
    let keepSlotsButton: @Sendable (_ slots: String) -> String
    let slotInvalid: String
    let slotLimitReached: @Sendable (_ max: Int) -> String
    let askZone: String
    let zoneInvalid: String
    let subscribed: @Sendable (_ topic: String, _ slots: String, _ zone: String) -> String
    let nextDigestToday: @Sendable (_ time: String) -> String
    let nextDigestTomorrow: @Sendable (_ time: String) -> String
    let pausedNote: String
    let undoButton: String
    let undone: @Sendable (_ topic: String) -> String
    let nothingToUndo: String

    let topicsList: @Sendable (_ topics: [String], _ slots: String, _ zone: String) -> String
    let noTopics: String
    let removeButton: @Sendable (_ topic: String) -> String
    let removed: @Sendable (_ topic: String) -> String
    let notSubscribed: @Sendable (_ topic: String) -> String

    let timeMenu: @Sendable (_ slots: String, _ zone: String) -> String
    let timeInvalid: String
    let zoneButton: String
    let slotAdded: @Sendable (_ slot: String, _ slots: String) -> String
    let slotRemoved: @Sendable (_ slot: String, _ slots: String) -> String
    let zoneSet: @Sendable (_ zone: String) -> String
    let noSlots: String

    let paused: String
    let alreadyPaused: String
    let resumed: String
    let alreadyActive: String

    let digestQueued: String
    let digestNoTopics: String
    let digestTooSoon: @Sendable (_ minutes: Int) -> String

    let cancelled: String
    let nothingToCancel: String
    let cancelButton: String

    let chooseLanguage: String
    let languageSet: String
    let languageInvalid: String

    /// `answerCallbackQuery` text for a button that no longer applies.
    let staleButton: String
    /// `answerCallbackQuery` text after a button did its work.
    let done: String

    /// The strings of `language`.
    public static func forLanguage(_ language: Language) -> ChatStrings {
        switch language {
        case .en: .english
        case .ru: .russian
        }
    }
}
