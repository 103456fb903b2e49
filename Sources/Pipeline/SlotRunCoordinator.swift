import Core
import Foundation
import Logging
import Stages

/// Starts and resumes slot runs: step 1 of the pipeline.
///
/// A run is keyed (pipeline, slot, local date) and created once. `trigger` adds the due users
/// (idempotent), enqueues one fetch job per distinct (topic, language) of newly added users and
/// render jobs for chunks of pending users. Triggering a run that exists resumes it: render jobs
/// again for its users still pending and delivery jobs for its stored but undelivered messages.
/// Repeats are harmless — rendering keeps stored messages (existing win) and the delivery ledger
/// stops a second send — so a crash at any point is repaired by triggering again.
///
/// A trigger with a time-zone filter resumes only the part of the run those zones' users make
/// up: the scheduler fires Berlin and, an hour later, London into the same 08:00 run, and
/// London's trigger must not re-enqueue Berlin's messages still on their way.
public struct SlotRunCoordinator: Sendable {
    public struct Configuration: Sendable {
        /// Users per render job: large enough to batch store round trips, small enough that a
        /// chunk's digests stay in memory comfortably and chunks spread over workers.
        public var renderChunkSize: Int
        /// Users read from the store per page while triggering.
        public var pageSize: Int

        public init(renderChunkSize: Int = 500, pageSize: Int = 2000) {
            self.renderChunkSize = max(1, renderChunkSize)
            self.pageSize = max(1, pageSize)
        }
    }

    public let configuration: Configuration
    let store: any SubscriberStore
    let queue: any JobQueue
    let clock: any NewsbotClock
    let logger: Logger

    public init(configuration: Configuration = .init(), store: any SubscriberStore, queue: any JobQueue,
                clock: any NewsbotClock = SystemClock(), logger: Logger = Logger(label: "newsbot.pipeline")) {
        self.configuration = configuration
        self.store = store
        self.queue = queue
        self.clock = clock
        self.logger = logger
    }

    /// Puts a trigger on the queue for whichever worker runs the trigger stage (the scheduler
    /// and `pipeline run` without local workers use this).
    public func enqueueTrigger(_ key: SlotRunKey, timeZones: Set<String>? = nil) async throws {
        try await queue.push(try PipelineJob.trigger(run: key, timeZones: timeZones.map { $0.sorted() }).encoded(),
                             to: .trigger)
    }

    /// Creates or resumes the run `key` for the users due at its slot in `timeZones` (nil: all).
    @discardableResult
    public func trigger(_ key: SlotRunKey, timeZones: Set<String>? = nil) async throws -> TriggerReport {
        let (_, created) = try await store.createRun(key, at: clock.now())
        var report = TriggerReport(run: key, created: created)
        var seenPairs = Set<TopicLanguage>()
        // When the run is new every due user is pending: render chunks go out as pages arrive.
        var chunk: [Int64] = []
        // When resuming with a zone filter: which users this trigger speaks for.
        var scope = Set<Int64>()
        var after: Int64?
        while true {
            let page = try await store.dueSubscribers(slot: key.slot, timeZones: timeZones, afterID: after,
                                                      limit: configuration.pageSize)
            guard let last = page.last else { break }
            after = last.id
            report.usersDue += page.count
            let added = try await store.addRunUsers(key, userIDs: page.map(\.id))
            report.usersAdded += added
            if added > 0 {
                var fresh: [TopicLanguage] = []
                for subscriber in page {
                    for pair in TopicLanguage.pairs(of: subscriber) where seenPairs.insert(pair).inserted { fresh.append(pair) }
                }
                report.fetchJobs += try await pushFetch(fresh, pipeline: key.pipeline)
            }
            if created {
                for subscriber in page {
                    chunk.append(subscriber.id)
                    if chunk.count == configuration.renderChunkSize {
                        try await pushRender(key, chunk)
                        report.renderJobs += 1
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
            } else if timeZones != nil {
                scope.formUnion(page.lazy.map(\.id))
            }
            if page.count < configuration.pageSize { break }
        }
        if created {
            if !chunk.isEmpty {
                try await pushRender(key, chunk)
                report.renderJobs += 1
            }
        } else {
            let filter: Set<Int64>? = timeZones == nil ? nil : scope
            report.renderJobs = try await resumeRendering(key, only: filter)
            report.deliveryJobs = try await resumeDelivery(key, only: filter)
        }
        logger.info("pipeline: run triggered", metadata: [
            "newsbot.run": "\(key)", "newsbot.run.created": "\(created)",
            "newsbot.run.users_due": "\(report.usersDue)", "newsbot.run.users_added": "\(report.usersAdded)",
            "newsbot.run.fetch_jobs": "\(report.fetchJobs)", "newsbot.run.render_jobs": "\(report.renderJobs)",
            "newsbot.run.delivery_jobs": "\(report.deliveryJobs)",
        ])
        return report
    }

    /// Render jobs for the run's pending users (within `only` when given).
    private func resumeRendering(_ key: SlotRunKey, only: Set<Int64>?) async throws -> Int {
        var jobs = 0
        var chunk: [Int64] = []
        var after: Int64?
        while true {
            let page = try await store.pendingRunUsers(key, afterID: after, limit: configuration.pageSize)
            guard let last = page.last else { break }
            after = last
            for id in page where only?.contains(id) ?? true {
                chunk.append(id)
                if chunk.count == configuration.renderChunkSize {
                    try await pushRender(key, chunk)
                    jobs += 1
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if page.count < configuration.pageSize { break }
        }
        if !chunk.isEmpty {
            try await pushRender(key, chunk)
            jobs += 1
        }
        return jobs
    }

    /// Delivery jobs for the run's stored, undelivered messages (within `only` when given).
    private func resumeDelivery(_ key: SlotRunKey, only: Set<Int64>?) async throws -> Int {
        var pushed = 0
        var after: Int64?
        while true {
            let page = try await store.undeliveredMessages(key, afterUserID: after, limit: configuration.pageSize)
            guard let last = page.last else { break }
            // Pages end on a user boundary only by luck: continue after the last whole user.
            let lastUser = last.key.userID
            let whole = page.count < configuration.pageSize ? page[...] : page.prefix { $0.key.userID != lastUser }
            let batch = (whole.isEmpty ? page[...] : whole).filter { only?.contains($0.key.userID) ?? true }
            try await queue.push(try batch.map { try FanOut.encode(DeliveryJob(message: $0)) }, to: .deliver)
            pushed += batch.count
            if page.count < configuration.pageSize { break }
            after = whole.isEmpty ? lastUser : whole.last!.key.userID
        }
        return pushed
    }

    private func pushFetch(_ pairs: [TopicLanguage], pipeline: String) async throws -> Int {
        guard !pairs.isEmpty else { return 0 }
        let payloads = try pairs.map { try PipelineJob.fetch(pipeline: pipeline, topic: $0.topic, language: $0.language).encoded() }
        try await queue.push(payloads, to: .fetch)
        return pairs.count
    }

    private func pushRender(_ key: SlotRunKey, _ userIDs: [Int64]) async throws {
        try await queue.push(try PipelineJob.render(run: key, userIDs: userIDs).encoded(), to: .render)
    }
}
