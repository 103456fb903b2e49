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

    // MARK: arrival windows

    private func window(_ subject: ContractSubject<any RateLimiter>, rate: Double,
                        inFlightExpiry: Duration = .seconds(120)) -> ArrivalWindow {
        ArrivalWindow(key: "\(subject.environment.namespace):global", ratePerSecond: rate, inFlightExpiry: inFlightExpiry)!
    }

    @Test(arguments: PortFactories.rateLimiters)
    func windowCountsSendsUntilOneSpanAfterTheirAnswer(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let window = window(subject, rate: 3)
            // Bulk fills all but the last place.
            #expect(try await limiter.enter(window, ticket: "a", priority: .bulk) == .zero)
            #expect(try await limiter.enter(window, ticket: "b", priority: .bulk) == .zero)
            let whileInFlight = try await limiter.enter(window, ticket: "c", priority: .bulk)
            #expect(whileInFlight > .zero && whileInFlight <= .milliseconds(50), "every place is a send awaiting its answer")
            // A reply never waits, and counts.
            #expect(try await limiter.enter(window, ticket: "r", priority: .interactive) == .zero)
            try await limiter.leave(window, ticket: "a")
            // `a` still counts for one span after its answer.
            let afterAnswer = try await limiter.enter(window, ticket: "c", priority: .bulk)
            #expect(afterAnswer > .milliseconds(900) && afterAnswer <= .seconds(1))
            try await subject.environment.advance(by: .milliseconds(1001))
            // `a` aged out, but `b` and the reply are still under way: two active, bulk waits.
            #expect(try await limiter.enter(window, ticket: "c", priority: .bulk) > .zero)
            try await limiter.leave(window, ticket: "r")
            try await limiter.leave(window, ticket: "b")
            #expect(try await limiter.enter(window, ticket: "c", priority: .bulk) > .zero)
            try await subject.environment.advance(by: .milliseconds(1001))
            #expect(try await limiter.enter(window, ticket: "c", priority: .bulk) == .zero)
            #expect(try await limiter.enter(window, ticket: "d", priority: .bulk) == .zero)
            #expect(try await limiter.enter(window, ticket: "e", priority: .bulk) > .zero)
        }
    }

    @Test(arguments: PortFactories.rateLimiters)
    func anUnansweredSendStopsCountingAfterItsExpiry(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            // Below 1/s the window widens: one send per two seconds.
            let window = window(subject, rate: 0.5, inFlightExpiry: .seconds(3))
            #expect(window.limit == 1 && window.span == .seconds(2))
            #expect(try await limiter.enter(window, ticket: "dead", priority: .bulk) == .zero)
            // Its sender died mid-request: the place stays taken for expiry + span.
            try await subject.environment.advance(by: .seconds(4))
            #expect(try await limiter.enter(window, ticket: "next", priority: .bulk) > .zero)
            try await subject.environment.advance(by: .milliseconds(1100))
            #expect(try await limiter.enter(window, ticket: "next", priority: .bulk) == .zero)
        }
    }

    @Test(arguments: PortFactories.rateLimiters)
    func noWindowOfTheReceiverSeesMoreThanTheLimit(_ factory: PortFactory<any RateLimiter>) async throws {
        try await factory.run { subject in
            let limiter = subject.port
            let window = window(subject, rate: 10)
            // Senders as fast as they can for three seconds in 10 ms steps, every send answered
            // 30 ms after it starts and arriving at a random moment in between.
            var inFlight: [(ticket: String, answerAt: Int)] = []
            var arrivals: [Int] = []
            var next = 0
            for now in stride(from: 0, to: 3000, by: 10) {
                for send in inFlight where send.answerAt <= now {
                    try await limiter.leave(window, ticket: send.ticket)
                }
                inFlight.removeAll { $0.answerAt <= now }
                while true {
                    let ticket = "s\(next)"
                    guard try await limiter.enter(window, ticket: ticket, priority: .bulk) == .zero else { break }
                    next += 1
                    inFlight.append((ticket, now + 30))
                    arrivals.append(now + Int.random(in: 0...30))
                }
                try await subject.environment.advance(by: .milliseconds(10))
            }
            arrivals.sort()
            var busiest = 0
            var low = 0
            for high in arrivals.indices {
                while arrivals[high] - arrivals[low] >= 1000 { low += 1 }
                busiest = max(busiest, high - low + 1)
            }
            #expect(busiest <= 10, "busiest second at the receiver: \(busiest) of 10")
            #expect(arrivals.count >= 20, "sent \(arrivals.count) in three seconds")
        }
    }
}
