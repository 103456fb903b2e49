/// A pipeline as `pipelines/*.yml` describes it: where news comes from, how it is cached,
/// ranked, rendered and delivered. Loaded and validated by the Pipeline module.
public struct PipelineDefinition: Sendable, Hashable, Codable {
    public var name: String
    /// Every configured source: the ones topics may name, and the feeds a GNews quota error
    /// falls back to.
    public var sources: [SourceDefinition]
    /// Names of the sources a topic without its own list uses; empty means all of `sources`.
    /// Lets a pipeline define feeds for fallback and for the topics that name them without
    /// every other topic calling them too.
    public var defaultSources: [String]
    /// Per-topic overrides, keyed by normalised topic name.
    public var topics: [String: TopicDefinition]
    public var cache: CachePolicy
    public var rank: RankPolicy
    public var render: RenderPolicy
    public var delivery: DeliveryPolicy

    public init(name: String, sources: [SourceDefinition] = [SourceDefinition(name: "gnews", kind: .gnews)],
                topics: [String: TopicDefinition] = [:], cache: CachePolicy = .init(), rank: RankPolicy = .init(),
                render: RenderPolicy = .init(), delivery: DeliveryPolicy = .init(), defaultSources: [String] = []) {
        self.name = name
        self.sources = sources
        self.defaultSources = defaultSources
        self.topics = topics
        self.cache = cache
        self.rank = rank
        self.render = render
        self.delivery = delivery
    }

    /// The sources that answer `topic`.
    public func sources(for topic: Topic) -> [SourceDefinition] {
        let own = topics[topic.name]?.sources ?? []
        let names = own.isEmpty ? defaultSources : own
        guard !names.isEmpty else { return sources }
        return names.compactMap { name in sources.first { $0.name == name } }
    }
}
