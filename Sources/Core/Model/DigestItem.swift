import Foundation

/// One ranked story: the best article of a cluster plus the names of the other sources carrying it.
public struct DigestItem: Sendable, Hashable, Codable {
    public var title: String
    /// The normalised URL of the representative article.
    public var url: String
    public var summary: String
    public var publishedAt: Date?
    public var sourceName: String
    /// Other publishers with the same story ("+N sources").
    public var otherSources: [String]
    /// Normalised URLs of every article in the cluster, so a story already received is recognised
    /// whichever source carried it.
    public var clusterURLs: [String]
    public var score: Double

    public init(title: String, url: String, summary: String, publishedAt: Date?, sourceName: String,
                otherSources: [String] = [], clusterURLs: [String] = [], score: Double = 0) {
        self.title = title
        self.url = url
        self.summary = summary
        self.publishedAt = publishedAt
        self.sourceName = sourceName
        self.otherSources = otherSources
        self.clusterURLs = clusterURLs.isEmpty ? [url] : clusterURLs
        self.score = score
    }
}
