/// The outcome of a `RetryStrategy` for one failure.
public enum RetryDecision: Sendable, Hashable {
    /// Try again after the delay; uses an attempt.
    case retry(after: Duration)
    /// Try again after the delay without using an attempt.
    case sleep(Duration)
    /// Dead-letter.
    case giveUp
}
