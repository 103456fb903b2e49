import Foundation

/// What the fetch stage asks a news source for: one topic in one language.
public struct NewsQuery: Sendable, Hashable, Codable {
    public var topic: Topic
    public var language: Language
    /// Only articles published at or after this instant (nil: the source's default window).
    public var from: Date?
    public var to: Date?
    public var maxArticles: Int
    /// The search text a query-based source (GNews) sends instead of the topic name, from the
    /// pipeline's `TopicDefinition.query`; nil means the topic name. Not part of `cacheKey`.
    public var searchText: String?

    public init(topic: Topic, language: Language, from: Date? = nil, to: Date? = nil, maxArticles: Int = 10,
                searchText: String? = nil) {
        self.topic = topic
        self.language = language
        self.from = from
        self.to = to
        self.maxArticles = maxArticles
        self.searchText = searchText
    }

    /// A stable key naming this query, used by caches and locks.
    public var cacheKey: String { "\(language.rawValue):\(topic.name)" }
}
