/// A pipeline as `pipelines/*.yml` describes it: where news comes from, how it is cached,
/// ranked, rendered and delivered. Loaded and validated by the Pipeline module.
public struct PipelineDefinition: Sendable, Hashable, Codable {
    public var name: String
    /// Sources every topic uses unless the topic names its own.
    public var sources: [SourceDefinition]
    /// Per-topic overrides, keyed by normalised topic name.
    public var topics: [String: TopicDefinition]
    public var cache: CachePolicy
    public var rank: RankPolicy
    public var render: RenderPolicy
    public var delivery: DeliveryPolicy

    public init(name: String, sources: [SourceDefinition] = [SourceDefinition(name: "gnews", kind: .gnews)],
                topics: [String: TopicDefinition] = [:], cache: CachePolicy = .init(), rank: RankPolicy = .init(),
                render: RenderPolicy = .init(), delivery: DeliveryPolicy = .init()) {
        self.name = name
        self.sources = sources
        self.topics = topics
        self.cache = cache
        self.rank = rank
        self.render = render
        self.delivery = delivery
    }

    /// The sources that answer `topic`.
    public func sources(for topic: Topic) -> [SourceDefinition] {
        guard let names = topics[topic.name]?.sources, !names.isEmpty else { return sources }
        return names.compactMap { name in sources.first { $0.name == name } }
    }
}
