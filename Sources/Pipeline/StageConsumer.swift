import Core
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Consumes one pipeline queue with bounded concurrency and settles every job by the
/// `RetryStrategy`: ack on success, retry with backoff, wait without using an attempt when
/// asked to slow down, dead-letter when giving up.
///
/// `concurrency` loops each take one job at a time, so at most that many jobs are held. On
/// graceful shutdown the loops stop taking jobs and finish the ones they hold; a job cut off by
/// cancellation is not acked and comes back through the queue (at the latest when its lease
/// expires) — every stage is idempotent, so running it twice is harmless.
final class StageConsumer: Sendable {
    struct Configuration: Sendable {
        var stage: PipelineStage
        var concurrency: Int
        var retry: RetryStrategy
        /// How long one `receive` waits when the queue is empty (also how quickly shutdown is noticed).
        var receiveWait: Duration
    }

    typealias Handler = @Sendable (ReceivedJob) async throws -> Void

    let configuration: Configuration
    private let queue: any JobQueue
    private let handler: Handler
    private let logger: Logger
    private let random: @Sendable () -> Double
    private let stopping = Atomic<Bool>(false)
    private let processed: Counter
    private let retried: Counter
    private let failed: Counter
    private let duration: Metrics.Timer

    init(configuration: Configuration, queue: any JobQueue, logger: Logger,
         random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, handler: @escaping Handler) {
        self.configuration = configuration
        self.queue = queue
        self.handler = handler
        self.logger = logger
        self.random = random
        let dimensions = [("stage", configuration.stage.rawValue)]
        processed = Counter(label: "newsbot.stage.processed", dimensions: dimensions)
        retried = Counter(label: "newsbot.stage.retried", dimensions: dimensions)
        failed = Counter(label: "newsbot.stage.failed", dimensions: dimensions)
        duration = Metrics.Timer(label: "newsbot.stage.duration", dimensions: dimensions)
    }

    /// Consumes until graceful shutdown or cancellation.
    func run() async {
        await withTaskCancellationOrGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, configuration.concurrency) {
                    group.addTask { await self.loop() }
                }
            }
        } onCancelOrGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    /// Handles every job visible now, one at a time in queue order, and returns when the queue
    /// has none ready: deterministic processing for replays and tests.
    func processAvailable() async throws {
        while true {
            let jobs = try await queue.receive(from: configuration.stage.queue, max: 1, wait: .zero)
            guard let job = jobs.first else { return }
            await process(job)
        }
    }

    private func loop() async {
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            let jobs: [ReceivedJob]
            do {
                jobs = try await queue.receive(from: configuration.stage.queue, max: 1, wait: configuration.receiveWait)
            } catch {
                if Task.isCancelled { return }
                logger.error("stage: receive failed", metadata: [
                    "newsbot.stage": "\(configuration.stage)", "error": "\(Redaction.redact(String(describing: error)))",
                ])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            for job in jobs { await process(job) }
        }
    }

    private func process(_ job: ReceivedJob) async {
        let started = ContinuousClock.now
        do {
            try await handler(job)
            duration.recordNanoseconds(started.duration(to: .now).nanoseconds)
            processed.increment()
            try await queue.ack(job)
        } catch {
            if Task.isCancelled {
                // Cut off by shutdown: hand it back without using an attempt.
                try? await queue.retry(job, after: .zero, countsAsAttempt: false)
                return
            }
            await settle(job, error)
        }
    }

    private func settle(_ job: ReceivedJob, _ error: any Error) async {
        let reason = Redaction.redact(String(describing: error))
        let metadata: Logger.Metadata = [
            "newsbot.stage": "\(configuration.stage)", "newsbot.job_id": "\(job.id)",
            "newsbot.stage.attempt": "\(job.attempt + 1)", "error": "\(reason)",
        ]
        let decision = configuration.retry.decision(afterAttempt: job.attempt + 1, failure: StageFailure.kind(of: error),
                                                    unit: random())
        do {
            switch decision {
            case .retry(let delay):
                retried.increment()
                logger.warning("stage: job failed, retrying", metadata: metadata.merging(["newsbot.stage.backoff": "\(delay)"]) { $1 })
                try await queue.retry(job, after: delay, countsAsAttempt: true)
            case .sleep(let delay):
                retried.increment()
                logger.notice("stage: asked to slow down, retrying", metadata: metadata)
                try await queue.retry(job, after: delay, countsAsAttempt: false)
            case .giveUp:
                failed.increment()
                logger.error("stage: job dead-lettered", metadata: metadata)
                try await queue.deadLetter(job, reason: reason)
            }
        } catch {
            logger.error("stage: cannot settle the job; it returns after its lease", metadata: metadata)
        }
    }
}
