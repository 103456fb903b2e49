import Core
import Testing

/// The `RateLimiter` contract: token buckets refilled at their rate up to their burst, several
/// buckets taken atomically, interactive requests borrowing one burst ahead of bulk traffic.
@Suite("RateLimiter contract")
struct RateLimiterContractTests {
    /// Each test uses its own bucket names so a shared server's state cannot leak between tests.
    private func bucket(_ subject: ContractSubject<any RateLimiter>, _ name: String, rate: Double, burst: Double) -> RateBucket {
        RateBucket(key: "\(subject.environment.namespace):\(name)", ratePerSecond: rate, burst: burst)
    }

    @Test(arguments: PortFactories.rateLimiters)
    func burstThenWaitForTheRate(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let chat = bucket(subject, "chat:1", rate: 10, burst: 3)
            for _ in 0..<3 { #expect(try await limiter.acquire([chat], priority: .bulk) == .zero) }
            let wait = try await limiter.acquire([chat], priority: .bulk)
            #expect(wait > .milliseconds(50) && wait <= .milliseconds(100))
            try await subject.environment.advance(by: .milliseconds(100))
            #expect(try await limiter.acquire([chat], priority: .bulk) == .zero)
            #expect(try await limiter.acquire([chat], priority: .bulk) > .zero)
        }
    }

    @Test(arguments: PortFactories.rateLimiters)
    func sustainedRateStaysWithinRatePlusBurst(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let global = bucket(subject, "global", rate: 20, burst: 2)
            var granted = 0
            // One second in 10 ms steps, asking as fast as possible.
            for _ in 0..<100 {
                while try await limiter.acquire([global], priority: .bulk) == .zero { granted += 1 }
                try await subject.environment.advance(by: .milliseconds(10))
            }
            #expect(granted >= 20 && granted <= 23, "granted \(granted) in one second at 20/s with burst 2")
        }
    }

    @Test(arguments: PortFactories.rateLimiters)
    func severalBucketsAreTakenAllOrNothing(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let global = bucket(subject, "global", rate: 0.001, burst: 2)
            let chat1 = bucket(subject, "chat:1", rate: 1, burst: 1)
            let chat2 = bucket(subject, "chat:2", rate: 1, burst: 1)
            let chat3 = bucket(subject, "chat:3", rate: 1, burst: 1)
            #expect(try await limiter.acquire([global, chat1], priority: .bulk) == .zero)
            // chat:1 is empty: nothing is taken from the global bucket either.
            let wait = try await limiter.acquire([global, chat1], priority: .bulk)
            #expect(wait > .milliseconds(500) && wait <= .seconds(1))
            #expect(try await limiter.acquire([global, chat2], priority: .bulk) == .zero)
            // Now the global bucket is empty; the wait is the longest of the buckets' waits.
            #expect(try await limiter.acquire([global, chat3], priority: .bulk) > .seconds(100))
        }
    }

    @Test(arguments: PortFactories.rateLimiters)
    func interactiveBorrowsOneBurstAndBulkRepaysIt(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let global = bucket(subject, "global", rate: 1, burst: 2)
            for _ in 0..<2 { #expect(try await limiter.acquire([global], priority: .bulk) == .zero) }
            #expect(try await limiter.acquire([global], priority: .bulk) > .zero)
            // Replies to people go ahead: up to one burst below zero.
            for _ in 0..<2 { #expect(try await limiter.acquire([global], priority: .interactive) == .zero) }
            let interactiveWait = try await limiter.acquire([global], priority: .interactive)
            #expect(interactiveWait > .milliseconds(500) && interactiveWait <= .seconds(1))
            // Bulk waits until the debt of two tokens is repaid and one more is there.
            let bulkWait = try await limiter.acquire([global], priority: .bulk)
            #expect(bulkWait > .milliseconds(2500) && bulkWait <= .seconds(3))
            try await subject.environment.advance(by: .seconds(2))
            #expect(try await limiter.acquire([global], priority: .bulk) > .zero)
            try await subject.environment.advance(by: .seconds(1))
            #expect(try await limiter.acquire([global], priority: .bulk) == .zero)
        }
    }

    @Test(arguments: PortFactories.rateLimiters)
    func pauseHoldsEveryoneBackUntilItEnds(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let global = bucket(subject, "global", rate: 100, burst: 100)
            let chat = bucket(subject, "chat:1", rate: 100, burst: 100)
            let other = bucket(subject, "chat:2", rate: 100, burst: 100)
            #expect(try await limiter.acquire([global, chat], priority: .bulk) == .zero)
            try await limiter.pause(chat.key, for: .seconds(2))
            // A shorter pause never shortens a longer one.
            try await limiter.pause(chat.key, for: .milliseconds(500))
            let bulk = try await limiter.acquire([global, chat], priority: .bulk)
            #expect(bulk > .milliseconds(1500) && bulk <= .seconds(2))
            let interactive = try await limiter.acquire([global, chat], priority: .interactive)
            #expect(interactive > .milliseconds(1500), "a 429 holds back replies too")
            #expect(try await limiter.acquire([global, other], priority: .bulk) == .zero)
            try await subject.environment.advance(by: .milliseconds(2100))
            #expect(try await limiter.acquire([global, chat], priority: .bulk) == .zero)
        }
    }
}
