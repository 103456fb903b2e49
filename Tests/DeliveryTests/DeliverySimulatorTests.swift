import Core
import Delivery
import Foundation
import Telegram
import TelegramSim
import Testing

/// The worker against the Bot API simulator over HTTP: Telegram's limits kept without a
/// single 429, and each of the simulator's 429 / 403 / 400 / 5xx answers handled.
@Suite(.timeLimit(.minutes(2))) struct DeliverySimulatorTests {
    @Test func defaultLimitsAreKeptWithoutA429AndEveryMessageArrivesOnce() async throws {
        try await SimulatorHarness.with(limits: .telegram, policy: DeliveryPolicy()) { harness in
            let users = Array(Int64(1)...90)
            let many = try await harness.delivery.enqueueDigests(users: users)
            let parts = try await harness.delivery.enqueueDigests(users: [1000], parts: 3)

            try await harness.delivery.worker.drain()

            let stats = harness.simulator.stats(includeChats: false)
            #expect(stats.tooManyRequests == 0)
            #expect(stats.accepted == 93)
            #expect(stats.maxGlobalPerSecond <= 30)
            #expect(stats.maxChatPerSecond <= 1)
            let received = harness.simulator.messages()
            #expect(Set(received.map { "\($0.chatID)|\($0.text)" }) == Set((many + parts).map { "\($0.chatID)|\($0.text)" }))
            #expect(received.count == 93)
            #expect(received.allSatisfy { $0.parseMode == .html && $0.linkPreviewsDisabled })
            #expect(harness.simulator.messages(chatID: 1000).map(\.text) == parts.map(\.text))
            for message in many + parts {
                #expect(try await harness.delivery.store.digestMessage(message.key)?.deliveredAt != nil)
            }
            let counters = harness.delivery.worker.counters
            #expect(counters.sent == 93 && counters.rateLimited == 0 && counters.retried == 0)
        }
    }

    /// Telegram counts arrivals, not token times. A slow first answer (a new connection, a busy
    /// CPU) would let the next thirty land within a second of it if only tokens were spaced;
    /// the worker spaces from answers, so the simulator still sees no 429.
    @Test func aSlowAnswerDoesNotSqueezeMessagesIntoOneWindow() async throws {
        try await SimulatorHarness.with(limits: .telegram, policy: DeliveryPolicy()) { harness in
            harness.simulator.setFault(.slow(delay: .milliseconds(300)), forChat: nil, times: 1)
            harness.simulator.setFault(.slow(delay: .milliseconds(300)), forChat: 1000, times: 1)
            try await harness.delivery.enqueueDigests(users: [1000], parts: 3)
            try await harness.delivery.enqueueDigests(users: Array(1...40))

            try await harness.delivery.worker.drain()

            let stats = harness.simulator.stats(includeChats: false)
            #expect(stats.tooManyRequests == 0)
            #expect(stats.accepted == 43)
            #expect(stats.maxGlobalPerSecond <= 30 && stats.maxChatPerSecond <= 1)
        }
    }

    /// The worker is told no per-chat limit, so the simulator's 1 msg/s (no burst) answers 429.
    /// With a single attempt allowed, every message still arrives exactly once.
    @Test func simulator429sAreWaitedOutWithoutUsingAttempts() async throws {
        let policy = DeliveryPolicy(globalRate: 1000, perChatRate: 0, perGroupPerMinute: 0, concurrency: 8,
                                    retry: RetryStrategy(maxAttempts: 1))
        try await SimulatorHarness.with(limits: SimulatorRateLimits(perChatBurst: 1), policy: policy) { harness in
            let parts = try await harness.delivery.enqueueDigests(users: [7], parts: 3)

            try await harness.delivery.worker.drain()

            let stats = harness.simulator.stats(includeChats: false)
            #expect(stats.tooManyRequests >= 1)
            #expect(harness.delivery.worker.counters.rateLimited == stats.tooManyRequests)
            #expect(stats.maxChatPerSecond <= 1)
            #expect(Set(harness.simulator.messages(chatID: 7).map(\.text)) == Set(parts.map(\.text)))
            #expect(harness.simulator.messages(chatID: 7).count == 3)
            #expect(try await harness.delivery.deadLetters().isEmpty)
            #expect(harness.delivery.queue.retries.allSatisfy { !$0.countsAsAttempt && $0.delay >= .seconds(1) })
        }
    }

    @Test func simulator403sAndChatNotFoundMarkUsersBlocked() async throws {
        try await SimulatorHarness.with(limits: .unlimited, policy: DeliveryHarness.fastPolicy) { harness in
            harness.simulator.setFault(.blocked, forChat: 2)
            harness.simulator.setFault(.deactivated, forChat: 3)
            harness.simulator.setFault(.chatNotFound, forChat: 4)
            let messages = try await harness.delivery.enqueueDigests(users: [1, 2, 3, 4])

            try await harness.delivery.worker.drain()

            #expect(harness.simulator.messages().map(\.chatID) == [1])
            #expect(harness.simulator.stats(includeChats: false).faultsAnswered == 3)
            for user in Int64(2)...4 {
                #expect(try await harness.delivery.store.subscriber(id: user)?.status == .blocked)
            }
            #expect(try await harness.delivery.store.subscriber(id: 1)?.status == .active)
            #expect(try await harness.delivery.store.digestMessage(messages[1].key)?.failure == "blocked")
            #expect(harness.delivery.worker.counters.blocked == 3)
            #expect(harness.delivery.queue.retries.isEmpty)
            #expect(try await harness.delivery.deadLetters().isEmpty)
        }
    }

    @Test func simulator5xxAreRetriedThenDeadLettered() async throws {
        var policy = DeliveryHarness.fastPolicy
        policy.retry = RetryStrategy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        try await SimulatorHarness.with(limits: .unlimited, policy: policy) { harness in
            harness.simulator.setFault(.serverError(status: 502), forChat: 5, times: 2)
            harness.simulator.setFault(.serverError(status: 500), forChat: 6)
            let messages = try await harness.delivery.enqueueDigests(users: [5, 6])

            try await harness.delivery.worker.drain()

            #expect(harness.simulator.messages(chatID: 5).count == 1)
            #expect(harness.simulator.messages(chatID: 6).isEmpty)
            #expect(try await harness.delivery.store.digestMessage(messages[0].key)?.deliveredAt != nil)
            #expect(try await harness.delivery.store.digestMessage(messages[1].key)?.failure == "telegram: server error 500")
            let dead = try await harness.delivery.deadLetters()
            #expect(dead.map(\.attempt) == [3])
            #expect(harness.delivery.worker.counters.retried == 4)
            #expect(harness.delivery.worker.counters.sent == 1)
            #expect(harness.delivery.worker.counters.failed == 1)
        }
    }

    @Test func htmlTheSimulatorRejectsIsAPermanentFailure() async throws {
        try await SimulatorHarness.with(limits: .unlimited, policy: DeliveryHarness.fastPolicy) { harness in
            let key = DeliveryHarness.key(user: 9)
            try await harness.delivery.store.upsert(Subscriber(id: 9, chatID: 9))
            _ = try await harness.delivery.store.saveDigestMessages([
                DigestMessage(key: key, run: DeliveryHarness.run, chatID: 9, parts: 1, text: "<b>unclosed", urls: []),
            ])
            try await harness.delivery.push([DeliveryJob(kind: .digest, key: key, run: DeliveryHarness.run, chatID: 9,
                                                         text: "<b>unclosed")])

            try await harness.delivery.worker.drain()

            #expect(harness.simulator.messages().isEmpty)
            #expect(try await harness.delivery.deadLetters().count == 1)
            #expect(try await harness.delivery.store.digestMessage(key)?.failure?.hasPrefix("telegram: bad request") == true)
            #expect(try await harness.delivery.store.subscriber(id: 9)?.status == .active)
            #expect(harness.delivery.queue.retries.isEmpty)
        }
    }
}
