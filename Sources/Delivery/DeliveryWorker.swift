public import Core
import Foundation
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization
public import Telegram

/// The send loop of pipeline step 6: consumes `QueueName.deliver`, keeps the bot under
/// Telegram's limits with the `RateLimiter`, sends through `TelegramAPI`, and settles each job
/// (ack, retry, dead-letter) by the rules of DESIGN.md.
///
/// Jobs are received in batches, at most `policy.concurrency` held at a time; one task per
/// chat sends that chat's jobs in order. Run it as a `Service` (`run()`, until graceful
/// shutdown), or until a condition (`run(until:)`, `drain()`) for `pipeline run --wait`.
///
/// On graceful shutdown it stops receiving, hands jobs it has not started back to the queue,
/// and lets sends under way finish for up to `shutdownGracePeriod` before cancelling them.
/// A job is never lost: whatever is not acked comes back through the queue (at the latest
/// when its lease expires), and the delivery ledger keeps a redelivered job from being sent
/// twice.
public final class DeliveryWorker: Service, Sendable {
    public let configuration: Configuration
    public let limits: DeliveryLimits
    let queue: any JobQueue
    let store: any SubscriberStore
    let limiter: any RateLimiter
    let telegram: any TelegramAPI
    let clock: any NewsbotClock
    let logger: Logger
    /// Uniform numbers in [0, 1) for the backoff jitter; injectable for exact tests.
    let random: @Sendable () -> Double
    /// Claims on messages being sent, shared by every delivering process (see `claimTTL`);
    /// nil when this worker is the only sender (one process: per-chat lanes already serialise
    /// two copies of a job, and the ledger skips the second).
    let claims: (any NewsCache)?
    /// This worker's name as the owner of its claims.
    let claimOwner = "delivery-" + UUID().uuidString
    let metrics = DeliveryMetrics()
    private let counterState = Mutex(DeliveryCounters())

    public init(
        configuration: Configuration = Configuration(), queue: any JobQueue, store: any SubscriberStore,
        limiter: any RateLimiter, telegram: any TelegramAPI, claims: (any NewsCache)? = nil,
        clock: any NewsbotClock = SystemClock(), logger: Logger = Logger(label: "newsbot.delivery"),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.configuration = configuration
        self.limits = DeliveryLimits(policy: configuration.policy, safetyFactor: configuration.safetyFactor)
        self.queue = queue
        self.store = store
        self.limiter = limiter
        self.telegram = telegram
        self.claims = claims
        self.clock = clock
        self.logger = logger
        self.random = random
    }

    /// What this worker has done so far, over all its runs.
    public var counters: DeliveryCounters { counterState.withLock { $0 } }

    /// Counts one outcome for `counters` and for metrics.
    func count(_ counter: WritableKeyPath<DeliveryCounters, Int>, _ metric: Counter) {
        counterState.withLock { $0[keyPath: counter] += 1 }
        metric.increment()
    }

    // MARK: running

    /// Delivers until graceful shutdown (or cancellation).
    public func run() async throws {
        try await run(condition: nil)
    }

    /// Delivers until `condition` returns true, then finishes the jobs it holds and returns.
    /// Graceful shutdown ends it earlier, as for `run()`. The condition is evaluated whenever
    /// the queue comes up empty and every `conditionInterval` in between: keep it cheap.
    public func run(until condition: @escaping @Sendable () async -> Bool) async throws {
        try await run(condition: condition)
    }

    /// Delivers until the deliver queue holds nothing ready, in flight or waiting for a retry:
    /// every job is sent, failed or blocked. For `pipeline run --wait` and the demo.
    public func drain() async throws {
        let queue = self.queue
        let name = configuration.queue
        try await run(until: {
            guard let stats = try? await queue.stats(name) else { return false }
            return stats.ready == 0 && stats.inFlight == 0 && stats.delayed == 0
        })
    }

    private enum ChildResult {
        case laneClosed
        case stopRequested
        case graceExpired
    }

    private func run(condition: (@Sendable () async -> Bool)?) async throws {
        let lanes = DeliveryLanes()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: ChildResult.self) { group in
                let concurrency = configuration.concurrency
                let grace = configuration.shutdownGracePeriod
                var lanesRunning = 0
                var graceStarted = false
                var lastCheck = ContinuousClock.now
                var queueWasEmpty = true
                // Wakes the loop below when it is blocked waiting for a lane and a shutdown begins.
                group.addTask {
                    await lanes.waitForStop()
                    return .stopRequested
                }
                receiving: while !lanes.isStopping, !Task.isCancelled {
                    // Room to hold more jobs; waiting for a lane to close also keeps the
                    // number of finished, unreaped child tasks bounded.
                    while lanesRunning > 0, lanes.held >= concurrency || lanesRunning >= concurrency {
                        switch await group.next() {
                        case .laneClosed: lanesRunning -= 1
                        case .stopRequested, .graceExpired, nil: continue receiving
                        }
                    }
                    if let condition, queueWasEmpty || lastCheck.duration(to: .now) >= configuration.conditionInterval {
                        lastCheck = .now
                        if await condition() { break receiving }
                    }
                    let room = min(configuration.batchSize, concurrency - lanes.held)
                    guard room > 0 else { continue }
                    let jobs: [ReceivedJob]
                    do {
                        jobs = try await queue.receive(from: configuration.queue, max: room, wait: configuration.receiveWait)
                    } catch {
                        if Task.isCancelled { break receiving }
                        logger.error("delivery: receive failed",
                                     metadata: ["error": "\(Redaction.redact(String(describing: error)))"])
                        try? await Task.sleep(for: .seconds(1))
                        continue
                    }
                    queueWasEmpty = jobs.isEmpty
                    for job in jobs {
                        guard let message = await decode(job) else { continue }
                        if lanes.add((job, message)) {
                            let chatID = message.chatID
                            group.addTask {
                                await self.drainLane(chatID: chatID, lanes: lanes)
                                return .laneClosed
                            }
                            lanesRunning += 1
                        }
                    }
                }
                if Task.isCancelled { lanes.stop() }
                // Let the held jobs settle: all of them after the condition, only the sends
                // under way (bounded by the grace period) after a shutdown.
                if lanes.isStopping, lanesRunning > 0 {
                    graceStarted = true
                    group.addTask {
                        try? await Task.sleep(for: grace)
                        return .graceExpired
                    }
                }
                while lanesRunning > 0, let result = await group.next() {
                    switch result {
                    case .laneClosed:
                        lanesRunning -= 1
                    case .stopRequested where !graceStarted:
                        graceStarted = true
                        group.addTask {
                            try? await Task.sleep(for: grace)
                            return .graceExpired
                        }
                    case .stopRequested:
                        break
                    case .graceExpired:
                        logger.warning("delivery: shutdown grace period over, cancelling sends",
                                       metadata: ["newsbot.delivery.held": "\(lanes.held)"])
                        group.cancelAll()
                    }
                }
                lanes.stop()  // ends the stop watcher when the run ended on its condition
                group.cancelAll()  // and the grace timer, if it is still sleeping
            }
        } onGracefulShutdown: {
            lanes.stop()
        }
    }

    /// Works through one chat's jobs in order until its lane is empty.
    private func drainLane(chatID: Int64, lanes: DeliveryLanes) async {
        // When the previous send to this chat was answered: the next waits the chat's spacing
        // from there, so a slow first request cannot bring two arrivals closer than allowed.
        var lastAnswer: Date?
        while let item = lanes.next(chatID: chatID) {
            if lanes.isStopping || Task.isCancelled {
                await release(item.job)
            } else {
                await deliver(item.job, item.message, lanes: lanes, lastAnswer: &lastAnswer)
            }
            lanes.finish()
        }
    }
}
