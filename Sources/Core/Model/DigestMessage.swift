import Foundation

/// One Telegram message of a user's digest, as rendered and stored before fan-out. Stored once per
/// key; a re-render after a crash reuses the stored text so part numbers never shift.
public struct DigestMessage: Sendable, Hashable, Codable {
    public var key: DeliveryKey
    public var run: SlotRunKey
    public var chatID: Int64
    public var parts: Int
    /// Telegram HTML.
    public var text: String
    /// Normalised URLs of the stories in this message (used to skip them in later digests).
    public var urls: [String]
    public var deliveredAt: Date?
    public var failure: String?

    public init(key: DeliveryKey, run: SlotRunKey, chatID: Int64, parts: Int, text: String, urls: [String],
                deliveredAt: Date? = nil, failure: String? = nil) {
        self.key = key
        self.run = run
        self.chatID = chatID
        self.parts = parts
        self.text = text
        self.urls = urls
        self.deliveredAt = deliveredAt
        self.failure = failure
    }
}
