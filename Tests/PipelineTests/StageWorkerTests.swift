import Core
import Delivery
import Foundation
import Logging
import Stages
import Synchronization
import Telegram
import Testing
@testable import Pipeline

@Suite("Stage workers")
struct StageWorkerTests {
    let quiet = SlotRunWorld.quiet

    private func consumer(_ queue: MemoryJobQueue, maxAttempts: Int = 3,
                          _ handler: @escaping StageConsumer.Handler) -> StageConsumer {
        StageConsumer(configuration: .init(stage: .render, concurrency: 1,
                                           retry: .exponentialJitter(maxAttempts: maxAttempts, baseDelay: .seconds(2), maxDelay: .seconds(60)),
                                           receiveWait: .zero),
                      queue: queue, logger: quiet, random: { 0.5 }, handler: handler)
    }

    @Test func transientFailuresBackOffThenDeadLetter() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_000_000))
        let queue = MemoryJobQueue(clock: clock)
        try await queue.push(Data("job".utf8), to: .render)
        let consumer = consumer(queue) { _ in throw NewsbotError(.unavailable, "store down") }

        try await consumer.processAvailable()
        #expect(try await queue.stats(.render) == QueueStats(ready: 0, inFlight: 0, delayed: 1, deadLettered: 0))
        clock.advance(by: .milliseconds(999))   // full jitter at 0.5 of the 2 s ceiling: 1 s
        try await consumer.processAvailable()
        #expect(try await queue.stats(.render).delayed == 1, "not visible before its backoff")
        clock.advance(by: .milliseconds(1))
        try await consumer.processAvailable()   // attempt 2 fails: next backoff 0.5 × 4 s
        clock.advance(by: .seconds(2))
        try await consumer.processAvailable()   // attempt 3 fails: given up
        let dead = try await queue.deadLetters(.render, limit: 10)
        #expect(dead.count == 1)
        #expect(dead.first?.attempt == 3)
        #expect(dead.first?.reason == "unavailable: store down")
        #expect(try await queue.stats(.render) == QueueStats(ready: 0, inFlight: 0, delayed: 0, deadLettered: 1))
    }

    @Test func permanentFailuresDeadLetterAtOnceAndRateLimitsKeepTheAttempt() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_000_000))
        let queue = MemoryJobQueue(clock: clock)
        try await queue.push([Data("bad".utf8), Data("slow".utf8)], to: .render)
        let attempts = LockedList<Int>()
        let consumer = consumer(queue) { job in
            attempts.append(job.attempt)
            if job.payload == Data("bad".utf8) { _ = try PipelineJob(decoding: job.payload) }
            throw NewsSourceError.rateLimited(retryAfter: .seconds(30))
        }
        try await consumer.processAvailable()
        #expect(try await queue.deadLetters(.render, limit: 10).count == 1, "an undecodable payload never succeeds")
        clock.advance(by: .seconds(30))
        try await consumer.processAvailable()
        clock.advance(by: .seconds(30))
        try await consumer.processAvailable()
        #expect(attempts.values == [0, 0, 0, 0], "waiting out a rate limit uses no attempt")
    }

    @Test func jobsOfAnotherStageOrAnUnknownPipelineAreDeadLettered() async throws {
        let world = try await SlotRunWorld.make(.memory)
        let workers = try world.workers(telegram: RecordingTelegram())
        let run = SlotRunKey(pipeline: "weekly", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)
        try await world.queue.push(PipelineJob.render(run: run, userIDs: [1]).encoded(), to: .render)
        try await world.queue.push(PipelineJob.onDemand(userID: 1).encoded(), to: .fetch)
        try await workers.processAvailable(.render)
        try await workers.processAvailable(.fetch)
        #expect(try await world.queue.deadLetters(.render, limit: 5).map(\.reason) == [
            "configuration: unknown pipeline 'weekly' (this worker knows daily)",
        ])
        #expect(try await world.queue.deadLetters(.fetch, limit: 5).map(\.reason) == [
            "invalid_input: job of another stage on the fetch queue",
        ])
    }

    @Test func theDeliverStageNeedsADeliveryWorker() async throws {
        let world = try await SlotRunWorld.make(.memory)
        #expect(throws: NewsbotError.self) { try PipelineWorkers(environment: world.environment, delivery: nil) }
        _ = try PipelineWorkers(configuration: .init(stages: [.fetch, .render]), environment: world.environment, delivery: nil)
    }

    @Test func onDemandDigestsOncePerMinuteAndSayWhenThereIsNothingNew() async throws {
        let base = try await SlotRunWorld.make(.memory)
        let clock = ManualClock(now: Date())
        let user = try #require(SlotRunWorld.due.first { $0.topics.contains(Topic("ai")!) && $0.language == .en })
        let fetcher = NewsFetcher(sources: ["gnews": base.source], cache: base.cache, clock: clock, logger: quiet)
        let environment = PipelineEnvironment(store: base.store, queue: base.queue, fetcher: fetcher,
                                              pipelines: [SlotRunWorld.pipeline], clock: clock, logger: quiet)
        let telegram = RecordingTelegram()
        let delivery = DeliveryWorker(configuration: .init(policy: SlotRunWorld.pipeline.delivery, receiveWait: .milliseconds(5)),
                                      queue: base.queue, store: base.store, limiter: MemoryRateLimiter(), telegram: telegram,
                                      logger: quiet)
        let workers = try PipelineWorkers(environment: environment, delivery: delivery)
        func ask() async throws {
            try await base.queue.push(PipelineJob.onDemand(userID: user.id).encoded(), to: .trigger)
            try await workers.processAvailable(.trigger)
            try await workers.processAvailable(.deliver)
        }

        try await ask()
        try await ask()   // same minute: the same digest, already delivered
        #expect(telegram.sent.count == 1)
        #expect(telegram.sent.first?.text.hasPrefix("<b>📰 Your digest · ") == true)
        #expect(try await base.store.runs(limit: 5).map(\.key.pipeline) == ["ondemand"])

        clock.advance(by: .seconds(60))
        try await ask()   // a minute later: every story already received
        #expect(telegram.sent.count == 2)
        #expect(telegram.sent.last?.text == OnDemandReply.nothingNew(.en))
    }
}

/// A list several tasks append to.
final class LockedList<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])
    func append(_ element: Element) { storage.withLock { $0.append(element) } }
    var values: [Element] { storage.withLock { $0 } }
}
