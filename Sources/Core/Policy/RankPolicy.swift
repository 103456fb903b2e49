/// How one topic's articles become its top stories.
public struct RankPolicy: Sendable, Hashable, Codable {
    /// Stories kept per topic.
    public var topK: Int
    /// At most this many stories from one publisher per topic (diversity).
    public var maxPerSource: Int
    /// Recency half-life: a story this old scores half of a fresh one.
    public var halfLifeHours: Double
    /// Articles older than this are dropped.
    public var maxAgeHours: Double
    /// Jaccard similarity of title shingles at or above which two articles are one story.
    public var clusterThreshold: Double
    /// Extra weight per publisher name (1 = neutral); source weights come from `SourceDefinition`.
    public var publisherWeights: [String: Double]

    public init(topK: Int = 5, maxPerSource: Int = 2, halfLifeHours: Double = 12, maxAgeHours: Double = 72,
                clusterThreshold: Double = 0.5, publisherWeights: [String: Double] = [:]) {
        self.topK = topK
        self.maxPerSource = maxPerSource
        self.halfLifeHours = halfLifeHours
        self.maxAgeHours = maxAgeHours
        self.clusterThreshold = clusterThreshold
        self.publisherWeights = publisherWeights
    }
}
