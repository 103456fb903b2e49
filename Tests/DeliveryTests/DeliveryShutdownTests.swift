import Core
import Delivery
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Telegram
import Testing

@Suite(.timeLimit(.minutes(1))) struct DeliveryShutdownTests {
    static let policy = DeliveryPolicy(globalRate: 0, perChatRate: 0, perGroupPerMinute: 0, concurrency: 4,
                                       retry: RetryStrategy(maxAttempts: 3, baseDelay: .milliseconds(5)))

    @Test func gracefulShutdownFinishesSendsUnderWayAndHandsTheRestBack() async throws {
        let gate = Gate()
        let telegram = FakeTelegram { _, _ in await gate.wait() }
        let queue = MemoryJobQueue()
        let first = DeliveryHarness(telegram: telegram, policy: Self.policy, queue: queue)
        try await first.enqueueDigests(users: [1], parts: 3)
        try await first.enqueueDigests(users: Array(2...20))
        let total = 22

        let inFlightAtShutdown = try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await first.worker.run() }
                try await eventually { telegram.requests.count >= 2 }
                let inFlight = telegram.requests.count
                trigger.triggerGracefulShutdown()
                gate.open()
                try await group.waitForAll()
                return inFlight
            }
        }

        // Sends under way were allowed to finish and were recorded; nothing else was sent.
        let counters = first.worker.counters
        #expect(counters.sent == inFlightAtShutdown)
        #expect(telegram.requests.count == inFlightAtShutdown)
        let stats = try await first.stats()
        #expect(stats.inFlight == 0)
        #expect(stats.ready == total - counters.sent)

        // Another worker picks up exactly what is left.
        let second = DeliveryHarness(telegram: telegram, policy: Self.policy, queue: queue)
        try await second.worker.drain()
        #expect(second.worker.counters.sent == total - counters.sent)
        let delivered = telegram.requests.map { "\($0.chatID)|\($0.text)" }
        #expect(delivered.count == total && Set(delivered).count == total)
        #expect(telegram.requests.filter { $0.chatID == 1 }.map(\.text) == (1...3).map { DeliveryHarness.text(user: 1, part: $0) })
    }

    @Test func sendsStillHangingAfterTheGracePeriodAreCancelledAndTheirJobsReturned() async throws {
        let telegram = FakeTelegram { _, _ in try await Task.sleep(for: .seconds(3600)) }
        let harness = DeliveryHarness(telegram: telegram, policy: Self.policy, gracePeriod: .milliseconds(50))
        try await harness.enqueueDigests(users: Array(1...10))

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await harness.worker.run() }
                try await eventually { telegram.requests.count == 4 }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }

        #expect(harness.worker.counters.sent == 0)
        #expect(harness.worker.counters.released == 4)
        #expect(harness.queue.retries.allSatisfy { !$0.countsAsAttempt && $0.delay == .zero })
        let stats = try await harness.stats()
        #expect(stats == QueueStats(ready: 10))
    }

    @Test func cancellingTheWorkerReturnsEveryJobItHeld() async throws {
        let telegram = FakeTelegram { _, _ in try await Task.sleep(for: .seconds(3600)) }
        let harness = DeliveryHarness(telegram: telegram, policy: Self.policy)
        try await harness.enqueueDigests(users: [1], parts: 3)
        try await harness.enqueueDigests(users: Array(2...6))

        let task = Task { try await harness.worker.run() }
        try await eventually { telegram.requests.count >= 2 }
        task.cancel()
        try await task.value

        #expect(harness.worker.counters.sent == 0)
        let stats = try await harness.stats()
        #expect(stats == QueueStats(ready: 8))
        // Attempts are untouched: the next worker starts them afresh.
        let again = try await harness.queue.receive(from: .deliver, max: 8, wait: .zero)
        #expect(again.count == 8 && again.allSatisfy { $0.attempt == 0 })
    }

    @Test func runsAsAServiceInAServiceGroup() async throws {
        let telegram = FakeTelegram()
        let harness = DeliveryHarness(telegram: telegram)
        try await harness.enqueueDigests(users: Array(1...5))
        let group = ServiceGroup(configuration: .init(services: [harness.worker], logger: .init(label: "test")))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually { harness.worker.counters.sent == 5 }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await harness.stats() == QueueStats())
    }
}
