import Foundation

/// A person who talks to the bot, with what they subscribed to and when they want it.
public struct Subscriber: Sendable, Hashable, Codable, Identifiable {
    /// Telegram user id.
    public var id: Int64
    /// Where digests go (for private chats equal to the user id).
    public var chatID: Int64
    public var language: Language
    /// IANA time zone identifier (`Europe/Berlin`) or a fixed offset (`UTC+03:00`); nil until chosen.
    public var timeZone: String?
    public var status: UserStatus
    /// Local delivery times, sorted, unique.
    public var slots: [Slot]
    /// Subscribed topics, sorted, unique.
    public var topics: [Topic]

    public init(id: Int64, chatID: Int64, language: Language = .en, timeZone: String? = nil,
                status: UserStatus = .active, slots: [Slot] = [], topics: [Topic] = []) {
        self.id = id
        self.chatID = chatID
        self.language = language
        self.timeZone = timeZone
        self.status = status
        self.slots = Array(Set(slots)).sorted()
        self.topics = Array(Set(topics)).sorted()
    }

    /// The resolved time zone, UTC when unset or unknown.
    public var resolvedTimeZone: TimeZone { TimeZoneName.resolve(timeZone) ?? TimeZone(identifier: "UTC")! }
}
