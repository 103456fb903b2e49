/// What Telegram measures of a message text after entity parsing.
public struct TelegramTextMetrics: Sendable, Hashable {
    /// Visible length in UTF-16 code units (tags removed, entities decoded).
    public var length: Int
    /// True when the visible text is empty or whitespace only, which Telegram rejects
    /// as "message text is empty" (it trims the text before sending).
    public var isBlank: Bool

    public init(length: Int, isBlank: Bool) {
        self.length = length
        self.isBlank = isBlank
    }

    /// Whether `sendMessage` would accept a text with these metrics.
    public var fitsInOneMessage: Bool { !isBlank && length <= TelegramLimits.maxMessageLength }
}
