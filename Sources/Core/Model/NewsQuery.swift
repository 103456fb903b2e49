import Foundation

/// What the fetch stage asks a news source for: one topic in one language.
public struct NewsQuery: Sendable, Hashable, Codable {
    public var topic: Topic
    public var language: Language
    /// Only articles published at or after this instant (nil: the source's default window).
    public var from: Date?
    public var to: Date?
    public var maxArticles: Int

    public init(topic: Topic, language: Language, from: Date? = nil, to: Date? = nil, maxArticles: Int = 10) {
        self.topic = topic
        self.language = language
        self.from = from
        self.to = to
        self.maxArticles = maxArticles
    }

    /// A stable key naming this query, used by caches and locks.
    public var cacheKey: String { "\(language.rawValue):\(topic.name)" }
}
