import Core
import Delivery
import Foundation
import Telegram
import Testing

@Suite(.timeLimit(.minutes(1))) struct DeliveryFailureTests {
    /// With a single attempt allowed, any 429 that used one would dead-letter the job.
    @Test func tooManyRequestsWaitsRetryAfterWithoutUsingAnAttempt() async throws {
        let telegram = FakeTelegram { _, call in
            if call <= 3 { throw TelegramError.tooManyRequests(retryAfter: .milliseconds(30)) }
        }
        var policy = DeliveryHarness.fastPolicy
        policy.retry = RetryStrategy(maxAttempts: 1)
        let harness = DeliveryHarness(telegram: telegram, policy: policy)
        let messages = try await harness.enqueueDigests(users: [1])

        try await harness.worker.drain()

        #expect(telegram.requests.count == 4)
        #expect(harness.queue.retries == Array(repeating: .init(attempt: 0, delay: .milliseconds(30), countsAsAttempt: false),
                                               count: 3))
        #expect(harness.worker.counters.rateLimited == 3)
        #expect(harness.worker.counters.sent == 1)
        #expect(try await harness.deadLetters().isEmpty)
        #expect(try await harness.store.digestMessage(messages[0].key)?.deliveredAt != nil)
    }

    @Test func tooManyRequestsPausesTheWholeBot() async throws {
        let telegram = FakeTelegram { _, _ in throw TelegramError.tooManyRequests(retryAfter: .seconds(30)) }
        let policy = DeliveryPolicy(globalRate: 1000, perChatRate: 0, perGroupPerMinute: 0, concurrency: 1)
        let limiter = MemoryRateLimiter()
        let harness = DeliveryHarness(telegram: telegram, policy: policy, limiter: limiter)
        try await harness.enqueueDigests(users: [1])
        let worker = harness.worker

        try await worker.run(until: { worker.counters.rateLimited >= 1 })

        #expect(harness.limiter.paused == ["global": .seconds(30)])
        // Every other chat now waits too, close to the full retry_after.
        let wait = try await limiter.acquire(harness.worker.limits.buckets(forChat: 99), priority: .bulk)
        #expect(wait > .seconds(25))
        let stats = try await harness.stats()
        #expect(stats.delayed == 1 && stats.inFlight == 0)
    }

    @Test func serverErrorsBackOffExponentiallyCappedThenDeadLetter() async throws {
        let telegram = FakeTelegram { _, _ in throw TelegramError.server(status: 502) }
        var policy = DeliveryHarness.fastPolicy
        policy.retry = RetryStrategy(maxAttempts: 5, baseDelay: .milliseconds(4), maxDelay: .milliseconds(20))
        // random() == 1: full jitter at its ceiling, so the delays are exact.
        let harness = DeliveryHarness(telegram: telegram, policy: policy, random: { 1 })
        let messages = try await harness.enqueueDigests(users: [3])

        try await harness.worker.drain()

        #expect(telegram.requests.count == 5)
        #expect(harness.queue.retries.map { milliseconds($0.delay) } == [4, 8, 16, 20])
        #expect(harness.queue.retries.map(\.attempt) == [0, 1, 2, 3])
        #expect(harness.queue.retries.allSatisfy { $0.countsAsAttempt })
        let dead = try await harness.deadLetters()
        #expect(dead.count == 1)
        #expect(dead.first?.attempt == 5)
        #expect(dead.first?.reason == "telegram: server error 502")
        let stored = try await harness.store.digestMessage(messages[0].key)
        #expect(stored?.deliveredAt == nil)
        #expect(stored?.failure == "telegram: server error 502")
        #expect(harness.worker.counters.retried == 4)
        #expect(harness.worker.counters.failed == 1)
    }

    @Test func jitterDrawsTheDelayBelowTheCeiling() async throws {
        let telegram = FakeTelegram { _, call in if call == 1 { throw TelegramError.timeout } }
        var policy = DeliveryHarness.fastPolicy
        policy.retry = RetryStrategy(maxAttempts: 3, baseDelay: .milliseconds(40), maxDelay: .seconds(1))
        let harness = DeliveryHarness(telegram: telegram, policy: policy, random: { 0.25 })
        try await harness.enqueueDigests(users: [3])

        try await harness.worker.drain()

        #expect(harness.queue.retries.map { milliseconds($0.delay) } == [10])
        #expect(harness.worker.counters.sent == 1)
        #expect(harness.worker.counters.retried == 1)
    }

    @Test(arguments: [TelegramError.blocked, .chatNotFound])
    func anUnreachableRecipientIsMarkedBlockedAndNotRetried(error: TelegramError) async throws {
        let telegram = FakeTelegram { request, _ in if request.chatID == 2 { throw error } }
        let harness = DeliveryHarness(telegram: telegram)
        let messages = try await harness.enqueueDigests(users: [1, 2])

        try await harness.worker.drain()

        #expect(telegram.calls(chatID: 2) == 1)
        #expect(try await harness.store.subscriber(id: 2)?.status == .blocked)
        #expect(try await harness.store.subscriber(id: 1)?.status == .active)
        #expect(try await harness.store.digestMessage(messages[1].key)?.failure == "blocked")
        #expect(harness.queue.retries.isEmpty)
        #expect(try await harness.deadLetters().isEmpty)
        #expect(try await harness.stats() == QueueStats())
        #expect(harness.worker.counters.blocked == 1)
        #expect(harness.worker.counters.sent == 1)
    }

    @Test func anyOtherBadRequestIsPermanent() async throws {
        let telegram = FakeTelegram { _, _ in throw TelegramError.badRequest("Bad Request: can't parse entities") }
        let harness = DeliveryHarness(telegram: telegram)
        let messages = try await harness.enqueueDigests(users: [4])

        try await harness.worker.drain()

        #expect(telegram.requests.count == 1)
        #expect(harness.queue.retries.isEmpty)
        #expect(try await harness.deadLetters().map(\.attempt) == [1])
        #expect(try await harness.store.digestMessage(messages[0].key)?.failure?.contains("can't parse entities") == true)
        #expect(try await harness.store.subscriber(id: 4)?.status == .active)
        #expect(harness.worker.counters.failed == 1)
    }

    /// A ledger outage is not the message's fault: with one attempt allowed, the job still
    /// goes out once the store answers again.
    @Test func aStoreOutageBeforeSendingPutsTheJobBackWithoutUsingAnAttempt() async throws {
        let telegram = FakeTelegram()
        var policy = DeliveryHarness.fastPolicy
        policy.retry = RetryStrategy(maxAttempts: 1, baseDelay: .milliseconds(5))
        let harness = DeliveryHarness(telegram: telegram, policy: policy, store: FlakyLedgerStore(failures: 2))
        let messages = try await harness.enqueueDigests(users: [1])

        try await harness.worker.drain()

        #expect(telegram.requests.count == 1)
        #expect(harness.queue.retries.count == 2)
        #expect(harness.queue.retries.allSatisfy { !$0.countsAsAttempt && $0.attempt == 0 })
        #expect(try await harness.deadLetters().isEmpty)
        #expect(try await harness.store.digestMessage(messages[0].key)?.deliveredAt != nil)
    }

    /// Whole milliseconds: backoff is computed in floating point.
    private func milliseconds(_ duration: Duration) -> Double {
        (duration.timeInterval * 1000).rounded()
    }
}
