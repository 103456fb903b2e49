import Foundation

/// One news article as a source returned it, before ranking.
public struct Article: Sendable, Hashable, Codable {
    public var title: String
    public var url: String
    /// Plain-text description (HTML already reduced by the source adapter).
    public var summary: String
    public var publishedAt: Date?
    /// The publisher, e.g. "BBC News".
    public var sourceName: String
    public var sourceURL: String?
    /// Which configured news source produced it (`gnews`, or a feed's name): ranking weights key on it.
    public var origin: String

    public init(title: String, url: String, summary: String = "", publishedAt: Date? = nil,
                sourceName: String, sourceURL: String? = nil, origin: String) {
        self.title = title
        self.url = url
        self.summary = summary
        self.publishedAt = publishedAt
        self.sourceName = sourceName
        self.sourceURL = sourceURL
        self.origin = origin
    }
}
