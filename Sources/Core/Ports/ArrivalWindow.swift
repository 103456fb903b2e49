/// A limit as the receiver counts it: at most `limit` requests *arriving* in any `span`.
///
/// A token bucket spaces the moments requests *start*; Telegram (and the simulator) count the
/// moments they *arrive*. If one request is slow to arrive (a new connection, a starved CPU, a
/// second process descheduled) and the next ones are quick, more than the limit can land in
/// one second although their tokens were spaced correctly. Every arrival lies between its
/// request's start and its answer, so a send may start only while fewer than `limit` sends are
/// *active*, where a send is active from its start until `span` after its answer. Then no
/// window of `span` at the receiver can hold more than `limit` arrivals, whatever the jitter:
/// of the sends arriving in one such window, the last to start found all the others active.
/// It costs one latency per window: on localhost nothing, at 100 ms to Telegram about 10%.
///
/// Shared through the `RateLimiter` (Redis when scaled out), it holds across every process
/// that sends as the bot. A reply to a person (`.interactive`) never waits here: it only
/// counts, so digest sends (`.bulk`) yield to it, and bulk leaves the last place free for it.
/// The limit is therefore exact while at most one reply is under way per window on top of a
/// saturating broadcast; replies also take the bot-wide token bucket, which keeps them few.
public struct ArrivalWindow: Sendable, Hashable {
    /// Shared name; the bot-wide window is `global`.
    public var key: String
    public var limit: Int
    public var span: Duration
    /// A send not answered within this long stops counting (its sender died mid-request).
    /// Longer than any request timeout, so a live send is never forgotten.
    public var inFlightExpiry: Duration

    /// The window for `ratePerSecond` at the receiver (not reduced by a safety margin: the
    /// window is exact); below 1/s it widens to hold one send. Nil when the rate is off.
    public init?(key: String, ratePerSecond: Double, inFlightExpiry: Duration = .seconds(120)) {
        guard ratePerSecond > 0, ratePerSecond.isFinite else { return nil }
        self.key = key
        if ratePerSecond >= 1 {
            limit = Int(ratePerSecond.rounded(.down))
            span = .seconds(1)
        } else {
            limit = 1
            span = .seconds(1 / ratePerSecond)
        }
        self.inFlightExpiry = inFlightExpiry
    }

    /// How many sends must be active for one of `priority` to wait: bulk leaves one place
    /// for replies when the limit allows more than one; replies never wait.
    public func capacity(for priority: RatePriority) -> Int {
        switch priority {
        case .bulk: limit > 1 ? limit - 1 : limit
        case .interactive: Int.max
        }
    }
}
