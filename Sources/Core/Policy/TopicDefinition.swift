/// Per-topic settings: which sources answer it and keyword filters.
public struct TopicDefinition: Sendable, Hashable, Codable {
    /// Source names; empty means the pipeline's default sources.
    public var sources: [String]
    /// The GNews query to use instead of the topic name.
    public var query: String?
    /// Keep only articles whose title or summary contains one of these (case-insensitive).
    public var include: [String]
    /// Drop articles whose title or summary contains one of these.
    public var exclude: [String]

    public init(sources: [String] = [], query: String? = nil, include: [String] = [], exclude: [String] = []) {
        self.sources = sources
        self.query = query
        self.include = include
        self.exclude = exclude
    }
}
