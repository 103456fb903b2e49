import Core
import Delivery
import Foundation
import Synchronization
import Telegram
import Testing

/// Scaled out, a queue may hand two workers copies of one job (RabbitMQ is at-least-once: a
/// publish retried after a lost confirm lands twice). The ledger alone cannot stop both copies:
/// each worker checks it before either has sent. The claim through the shared cache can.
@Suite("Delivery: claims across workers")
struct DeliveryClaimTests {
    @Test func copiesOfOneJobOnTwoWorkersAreSentOnce() async throws {
        let store = MemorySubscriberStore()
        let claims = MemoryNewsCache()
        let inFlight = Mutex(0)
        let overlapped = Mutex(false)
        // Slow answers, so both workers hold their copies at the same time.
        let telegram = FakeTelegram { _, _ in
            inFlight.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(150))
            inFlight.withLock { count in
                if count > 1 { overlapped.withLock { $0 = true } }
                count -= 1
            }
        }
        // Each worker is handed a copy of every job (one queue each makes sure both get one).
        let first = DeliveryHarness(telegram: telegram, queue: MemoryJobQueue(), store: store, claims: claims)
        let second = DeliveryHarness(telegram: telegram, queue: MemoryJobQueue(), store: store, claims: claims)
        let messages = try await first.enqueueDigests(users: [1, 2, 3, 4])
        try await second.push(messages.map(DeliveryJob.init(message:)))

        async let drainFirst: Void = first.worker.drain()
        async let drainSecond: Void = second.worker.drain()
        _ = try await (drainFirst, drainSecond)

        #expect(overlapped.withLock { $0 }, "the workers never sent at the same time: the test proves nothing")
        #expect(telegram.requests.map(\.chatID).sorted() == [1, 2, 3, 4])
        for message in messages {
            #expect(try await store.digestMessage(message.key)?.deliveredAt != nil)
        }
        #expect(first.worker.counters.sent + second.worker.counters.sent == 4)
        #expect(try await first.stats() == QueueStats())
        #expect(try await second.stats() == QueueStats())
    }

    /// A claim whose holder died runs out, and the copy that comes back is sent.
    @Test func aClaimLeftByADeadWorkerRunsOut() async throws {
        let claims = MemoryNewsCache()
        let telegram = FakeTelegram()
        let harness = DeliveryHarness(telegram: telegram, claims: claims)
        let messages = try await harness.enqueueDigests(users: [9])
        #expect(try await claims.lock("deliver:\(messages[0].key)", owner: "a worker that died", ttl: .milliseconds(300)))
        try await harness.worker.drain()
        #expect(telegram.requests.count == 1)
        #expect(try await harness.store.digestMessage(messages[0].key)?.deliveredAt != nil)
    }
}
