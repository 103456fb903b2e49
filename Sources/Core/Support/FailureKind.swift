/// How a failure should be treated by a `RetryStrategy`.
public enum FailureKind: Sendable, Hashable {
    /// May succeed later (5xx, timeout, network).
    case transient
    /// The other side asked to wait; waiting does not use an attempt.
    case rateLimited(retryAfter: Duration)
    /// Will never succeed (403 blocked, 400 chat not found, bad input).
    case permanent
}
