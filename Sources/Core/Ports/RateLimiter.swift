/// Token buckets shared by every sender, so the bot stays under Telegram's limits instead of
/// discovering them through 429s.
///
/// Embedded: in-process. Scaled out: Redis (one atomic script; one budget for all workers).
public protocol RateLimiter: Sendable {
    /// Takes one token from every bucket atomically, or none. Returns `.zero` when taken,
    /// otherwise how long to wait before asking again.
    ///
    /// `interactive` requests (replies to users) may borrow up to one burst below zero, so they
    /// never wait behind digest traffic; bulk requests then wait for the debt to be repaid.
    func acquire(_ buckets: [RateBucket], priority: RatePriority) async throws -> Duration

    /// Hands out no token of bucket `key` for `duration`, to every sender sharing the limiter:
    /// Telegram's 429 `retry_after` holds back the whole bot, not only the message that got it.
    /// A shorter pause never shortens a longer one already in place.
    func pause(_ key: String, for duration: Duration) async throws

    /// Counts a send named `ticket` as active in `window` and returns `.zero` when fewer than
    /// `window.capacity(for: priority)` sends are active; otherwise counts nothing and returns
    /// how long to wait before asking again. Balance every `.zero` with `leave`.
    func enter(_ window: ArrivalWindow, ticket: String, priority: RatePriority) async throws -> Duration

    /// The send's answer (or failure) arrived: it stays active for one more `window.span`.
    func leave(_ window: ArrivalWindow, ticket: String) async throws
}

extension RateLimiter {
    /// Waits until a token is taken from every bucket.
    public func waitForToken(_ buckets: [RateBucket], priority: RatePriority = .bulk,
                             clock: any NewsbotClock) async throws {
        while true {
            let wait = try await acquire(buckets, priority: priority)
            if wait <= .zero { return }
            try await clock.sleep(for: wait)
        }
    }
}
