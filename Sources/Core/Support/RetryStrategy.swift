/// How a failed job is retried: exponential backoff with full jitter, capped, a limited number
/// of attempts; a "sleep" outcome (Telegram's 429 `retry_after`) waits without using one.
public struct RetryStrategy: Sendable, Hashable, Codable {
    /// Attempts in total, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static func exponentialJitter(maxAttempts: Int, baseDelay: Duration = .milliseconds(500),
                                         maxDelay: Duration = .seconds(60)) -> RetryStrategy {
        RetryStrategy(maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: maxDelay)
    }

    /// The backoff ceiling after `attempt` failed attempts (1-based): min(cap, base·2^(attempt-1)).
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let seconds = baseDelay.timeInterval * Double(1 << UInt64(exponent))
        return .seconds(min(seconds, maxDelay.timeInterval))
    }

    /// Full jitter: a uniform delay in [0, ceiling]. `unit` is a number in [0, 1).
    public func backoff(afterAttempt attempt: Int, unit: Double = Double.random(in: 0..<1)) -> Duration {
        .seconds(ceiling(afterAttempt: attempt).timeInterval * min(max(unit, 0), 1))
    }

    /// What to do after attempt number `attempt` (1-based) failed in the way `failure` says.
    public func decision(afterAttempt attempt: Int, failure: FailureKind,
                         unit: Double = Double.random(in: 0..<1)) -> RetryDecision {
        switch failure {
        case .permanent:
            return .giveUp
        case .rateLimited(let retryAfter):
            return .sleep(retryAfter)
        case .transient:
            return attempt >= maxAttempts ? .giveUp : .retry(after: backoff(afterAttempt: attempt, unit: unit))
        }
    }
}
