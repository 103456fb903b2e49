/// One configured news source.
public struct SourceDefinition: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case gnews
        case feed
    }

    /// `gnews`, or the feed's name (also its fixture file name `news/rss/NAME.xml`).
    public var name: String
    public var kind: Kind
    /// Feed URL (feeds only).
    public var url: String?
    /// Ranking weight of articles from this source (1 = neutral).
    public var weight: Double
    /// Languages this source serves; empty means all.
    public var languages: [Language]

    public init(name: String, kind: Kind, url: String? = nil, weight: Double = 1, languages: [Language] = []) {
        self.name = name
        self.kind = kind
        self.url = url
        self.weight = weight
        self.languages = languages
    }
}
