import Core
import Testing

@Suite("RetryStrategy")
struct RetryStrategyTests {
    let strategy = RetryStrategy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(5))

    @Test func ceilingDoublesFromTheBase() {
        #expect(strategy.ceiling(afterAttempt: 1) == .milliseconds(500))
        #expect(strategy.ceiling(afterAttempt: 2) == .seconds(1))
        #expect(strategy.ceiling(afterAttempt: 3) == .seconds(2))
        #expect(strategy.ceiling(afterAttempt: 4) == .seconds(4))
    }

    @Test func ceilingIsCapped() {
        #expect(strategy.ceiling(afterAttempt: 5) == .seconds(5))
        #expect(strategy.ceiling(afterAttempt: 60) == .seconds(5))
        #expect(strategy.ceiling(afterAttempt: Int.max) == .seconds(5))
        #expect(strategy.ceiling(afterAttempt: 0) == .milliseconds(500))
    }

    @Test func fullJitterSpansZeroToTheCeiling() {
        #expect(strategy.backoff(afterAttempt: 3, unit: 0) == .zero)
        #expect(strategy.backoff(afterAttempt: 3, unit: 0.5) == .seconds(1))
        #expect(strategy.backoff(afterAttempt: 3, unit: 1) == .seconds(2))
        #expect(strategy.backoff(afterAttempt: 3, unit: 7) == .seconds(2))
        #expect(strategy.backoff(afterAttempt: 3, unit: -1) == .zero)
        var seen: Set<Bool> = []
        for _ in 0..<500 {
            let delay = strategy.backoff(afterAttempt: 4)
            #expect(delay >= .zero && delay <= .seconds(4))
            seen.insert(delay < .seconds(2))
        }
        #expect(seen == [true, false], "random delays fall in both halves of the range")
    }

    @Test func transientFailuresRetryUntilTheLastAttempt() {
        for attempt in 1..<5 {
            guard case .retry(let delay) = strategy.decision(afterAttempt: attempt, failure: .transient, unit: 0.5) else {
                Issue.record("attempt \(attempt) should retry")
                continue
            }
            #expect(delay == strategy.backoff(afterAttempt: attempt, unit: 0.5))
        }
        #expect(strategy.decision(afterAttempt: 5, failure: .transient) == .giveUp)
        #expect(strategy.decision(afterAttempt: 9, failure: .transient) == .giveUp)
    }

    @Test func rateLimitsSleepWithoutUsingAnAttempt() {
        #expect(strategy.decision(afterAttempt: 1, failure: .rateLimited(retryAfter: .seconds(7))) == .sleep(.seconds(7)))
        // Even past the last attempt: waiting out a 429 is never a failure.
        #expect(strategy.decision(afterAttempt: 5, failure: .rateLimited(retryAfter: .seconds(3))) == .sleep(.seconds(3)))
    }

    @Test func permanentFailuresGiveUpAtOnce() {
        #expect(strategy.decision(afterAttempt: 1, failure: .permanent) == .giveUp)
    }

    @Test func atLeastOneAttempt() {
        let once = RetryStrategy(maxAttempts: 0)
        #expect(once.maxAttempts == 1)
        #expect(once.decision(afterAttempt: 1, failure: .transient) == .giveUp)
        #expect(RetryStrategy.exponentialJitter(maxAttempts: 3) == RetryStrategy(maxAttempts: 3))
    }
}
