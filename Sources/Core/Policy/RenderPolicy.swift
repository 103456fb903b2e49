/// How a user's digest is rendered.
public struct RenderPolicy: Sendable, Hashable, Codable {
    /// Items per topic section.
    public var maxItemsPerTopic: Int
    /// Items in the whole digest.
    public var maxItems: Int
    /// Characters of summary shown under a title (0: none).
    public var summaryLength: Int
    /// Telegram's limit per message, after entity parsing.
    public var maxMessageLength: Int
    /// Stories delivered to the user within this many days are left out.
    public var historyDays: Int

    public init(maxItemsPerTopic: Int = 5, maxItems: Int = 30, summaryLength: Int = 300,
                maxMessageLength: Int = 4096, historyDays: Int = 7) {
        self.maxItemsPerTopic = maxItemsPerTopic
        self.maxItems = maxItems
        self.summaryLength = summaryLength
        self.maxMessageLength = maxMessageLength
        self.historyDays = historyDays
    }
}
