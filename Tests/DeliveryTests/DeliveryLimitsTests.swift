import Core
import Delivery
import Foundation
import Testing

@Suite struct DeliveryLimitsTests {
    @Test func privateChatTakesGlobalAndChatBucketsWithMargin() {
        let limits = DeliveryLimits(policy: DeliveryPolicy())
        let buckets = limits.buckets(forChat: 42)
        #expect(buckets.map(\.key) == ["global", "chat:42"])
        #expect(abs(buckets[0].ratePerSecond - 30 * 0.97) < 1e-9)
        #expect(abs(buckets[1].ratePerSecond - 0.97) < 1e-9)
        #expect(buckets.allSatisfy { $0.burst == 1 })
    }

    @Test func groupsAlsoTakeThePerMinuteBucket() {
        let limits = DeliveryLimits(policy: DeliveryPolicy(globalRate: 1000, perChatRate: 1, perGroupPerMinute: 20))
        let buckets = limits.buckets(forChat: -100123)
        #expect(buckets.map(\.key) == ["global", "chat:-100123", "group:-100123"])
        #expect(abs(buckets[0].ratePerSecond - 970) < 1e-9)
        #expect(abs(buckets[2].ratePerSecond - 20.0 / 60 * 0.97) < 1e-9)
    }

    @Test func zeroRateMeansNoBucket() {
        let off = DeliveryLimits(policy: DeliveryPolicy(globalRate: 0, perChatRate: 0, perGroupPerMinute: 0))
        #expect(off.buckets(forChat: -5).isEmpty)
        #expect(off.global == nil)
        let chatOnly = DeliveryLimits(policy: DeliveryPolicy(globalRate: 0, perChatRate: 1, perGroupPerMinute: 0))
        #expect(chatOnly.buckets(forChat: -5).map(\.key) == ["chat:-5"])
    }

    @Test func safetyFactorIsConfigurable() {
        let exact = DeliveryLimits(policy: DeliveryPolicy(globalRate: 30), safetyFactor: 1)
        #expect(exact.global?.ratePerSecond == 30)
    }

    /// With burst 1 the limiter spaces tokens evenly, so no sliding second ever holds more than
    /// the configured rate: count tokens handed out on a manual clock.
    @Test func tokensNeverExceedTheRateInAnySlidingSecond() async throws {
        let clock = ManualClock(now: .init(timeIntervalSince1970: 0))
        let limiter = MemoryRateLimiter(clock: clock)
        let limits = DeliveryLimits(policy: DeliveryPolicy(globalRate: 30, perChatRate: 0, perGroupPerMinute: 0))
        var granted: [Double] = []
        for chat in 0..<200 {
            while true {
                let wait = try await limiter.acquire(limits.buckets(forChat: Int64(chat)), priority: .bulk)
                if wait <= .zero { break }
                // At least 0.1 ms: a Date cannot move by the rounding-error waits floating point leaves.
                clock.advance(by: max(wait, .microseconds(100)))
            }
            granted.append(clock.now().timeIntervalSince1970)
        }
        // Any window (t - 1 s, t] holds at most 30 grants.
        for (index, time) in granted.enumerated() {
            let inWindow = granted[...index].filter { $0 > time - 1 }.count
            #expect(inWindow <= 30)
        }
        #expect(granted.count == 200)
    }
}
