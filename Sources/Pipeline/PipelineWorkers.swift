import Core
import Delivery
import Logging
import ServiceLifecycle

/// The queue consumers of one process (`newsbot worker --stages fetch,render,deliver
/// --concurrency N`, or all of them inside `newsbot serve`): a bounded consumer per pipeline
/// stage plus Delivery's `DeliveryWorker` for the deliver queue.
///
/// As a `Service` it runs until graceful shutdown: every consumer stops taking jobs and finishes
/// the ones it holds; anything cut off goes back through the queue.
public final class PipelineWorkers: Service, Sendable {
    public let configuration: Configuration
    public let environment: PipelineEnvironment
    let delivery: DeliveryWorker?
    let render: RenderStage
    let consumers: [PipelineStage: StageConsumer]

    /// - Parameter delivery: the send loop; required when `configuration.stages` has `deliver`.
    public init(configuration: Configuration = .init(), environment: PipelineEnvironment, delivery: DeliveryWorker?) throws {
        if configuration.stages.contains(.deliver), delivery == nil {
            throw NewsbotError(.configuration, "the deliver stage needs a DeliveryWorker")
        }
        self.configuration = configuration
        self.environment = environment
        self.delivery = delivery
        let render = RenderStage(environment: environment)
        let fetch = FetchStage(environment: environment)
        let coordinator = environment.coordinator(configuration.coordinator)
        self.render = render
        var consumers: [PipelineStage: StageConsumer] = [:]
        for stage in [PipelineStage.trigger, .fetch, .render] {
            let stageConfiguration = StageConsumer.Configuration(
                stage: stage, concurrency: stage == .fetch ? configuration.fetchConcurrency : configuration.concurrency,
                retry: configuration.retry, receiveWait: configuration.receiveWait)
            consumers[stage] = StageConsumer(configuration: stageConfiguration, queue: environment.queue,
                                             logger: environment.logger) { job in
                switch try PipelineJob(decoding: job.payload) {
                case .trigger(let run, let zones) where stage == .trigger:
                    try await coordinator.trigger(run, timeZones: zones.map(Set.init))
                case .onDemand(let userID) where stage == .trigger:
                    try await render.onDemand(userID: userID)
                case .fetch(let pipeline, let topic, let language) where stage == .fetch:
                    try await fetch.fetch(pipeline: pipeline, topic: topic, language: language)
                case .render(let run, let userIDs) where stage == .render:
                    try await render.render(run: run, userIDs: userIDs)
                default:
                    throw NewsbotError(.invalidInput, "job of another stage on the \(stage) queue")
                }
            }
        }
        self.consumers = consumers
    }

    /// Runs the configured stages until graceful shutdown.
    public func run() async throws {
        environment.logger.info("pipeline: workers started", metadata: [
            "newsbot.stages": "\(configuration.stages.sorted().map(\.rawValue).joined(separator: ","))",
            "newsbot.concurrency": "\(configuration.concurrency)",
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for stage in configuration.stages.sorted() {
                if stage == .deliver, let delivery {
                    group.addTask { try await delivery.run() }
                } else if let consumer = consumers[stage] {
                    group.addTask { await consumer.run() }
                }
            }
            try await group.waitForAll()
        }
        environment.logger.info("pipeline: workers stopped")
    }

    /// Handles every job now on `stage`'s queue, one at a time in queue order (the deliver
    /// stage: until its queue is empty). For replays and tests, where the same input must give
    /// the same output: run `trigger`, `fetch`, `render`, `deliver` in turn.
    public func processAvailable(_ stage: PipelineStage) async throws {
        if stage == .deliver {
            guard let delivery else { throw NewsbotError(.configuration, "the deliver stage needs a DeliveryWorker") }
            try await delivery.drain()
        } else {
            try await consumers[stage]!.processAvailable()
        }
    }
}
