import Core
import Delivery
import Foundation
import Synchronization
import Telegram
import Testing

/// The bot-wide limit as Telegram counts it: by arrival, not by when a token was taken.
@Suite(.timeLimit(.minutes(1))) struct DeliveryArrivalWindowTests {
    /// The first sends are slow to arrive (a cold connection, a descheduled process) and the
    /// rest quick: their tokens were spaced at the rate, but without the arrival window the
    /// late ones and the quick ones land in the same second (about 30 at 20/s).
    @Test func lateArrivalsNeverPushASecondAtTelegramOverTheLimit() async throws {
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        let calls = Atomic<Int>(0)
        let telegram = FakeTelegram { _, _ in
            let call = calls.add(1, ordering: .relaxed).newValue
            if call <= 20 { try await Task.sleep(for: .milliseconds(600)) }
            arrivals.withLock { $0.append(.now) }
        }
        let policy = DeliveryPolicy(globalRate: 20, perChatRate: 0, perGroupPerMinute: 0, concurrency: 32)
        let harness = DeliveryHarness(telegram: telegram, policy: policy)
        try await harness.enqueueDigests(users: Array(1...50))

        try await harness.worker.drain()

        let times = arrivals.withLock { $0 }.sorted()
        #expect(times.count == 50)
        var busiest = 0
        var low = 0
        for high in times.indices {
            while times[high] - times[low] >= .seconds(1) { low += 1 }
            busiest = max(busiest, high - low + 1)
        }
        #expect(busiest <= 20, "busiest second at Telegram: \(busiest) of 20")
    }
}
