import Core
import Logging
import Stages

/// What the pipeline's stages share: the ports, the fetcher in front of the news sources and
/// cache, and the pipeline definitions jobs refer to by name. The executable builds one from its
/// configuration (embedded or scaled-out backends); tests and replays build one on memory adapters.
public struct PipelineEnvironment: Sendable {
    public var store: any SubscriberStore
    public var queue: any JobQueue
    public var fetcher: NewsFetcher
    /// Definitions by name; a job naming another pipeline is dead-lettered.
    public var pipelines: [String: PipelineDefinition]
    /// The pipeline `/digest` requests use.
    public var onDemandPipeline: String
    public var clock: any NewsbotClock
    public var logger: Logger

    public init(store: any SubscriberStore, queue: any JobQueue, fetcher: NewsFetcher, pipelines: [PipelineDefinition],
                onDemandPipeline: String? = nil, clock: any NewsbotClock = SystemClock(),
                logger: Logger = Logger(label: "newsbot.pipeline")) {
        self.store = store
        self.queue = queue
        self.fetcher = fetcher
        self.pipelines = Dictionary(pipelines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.onDemandPipeline = onDemandPipeline ?? pipelines.first?.name ?? "daily"
        self.clock = clock
        self.logger = logger
    }

    /// The definition named `name`, or a permanent error (the job can never succeed here).
    public func pipeline(_ name: String) throws -> PipelineDefinition {
        guard let definition = pipelines[name] else {
            throw NewsbotError(.configuration, "unknown pipeline '\(name)' (this worker knows \(pipelines.keys.sorted().joined(separator: ", ")))")
        }
        return definition
    }

    /// A coordinator over the same store, queue and clock.
    public func coordinator(_ configuration: SlotRunCoordinator.Configuration = .init()) -> SlotRunCoordinator {
        SlotRunCoordinator(configuration: configuration, store: store, queue: queue, clock: clock, logger: logger)
    }
}
