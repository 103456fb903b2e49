public import Core

/// The token buckets one message to a chat must take, built from a `DeliveryPolicy`:
/// `global` (the whole bot), `chat:<id>`, and for groups (negative chat ids) `group:<id>`.
/// A rate of 0 means unlimited: that bucket is left out.
///
/// Every bucket has burst 1, so tokens come out evenly spaced and the sender never exceeds
/// the rate in any sliding window (Telegram, and the simulator, judge by sliding windows;
/// a bigger burst would allow short spikes above the limit).
///
/// Every rate is multiplied by `safetyFactor` (0.97 by default): a message's token is
/// taken a little before the request reaches Telegram, and the time from token to arrival
/// varies with scheduling and the network. At 30 msg/s the 3% margin leaves ~31 ms of such
/// jitter over any second (at 1 msg/s per chat, ~31 ms between two messages) before the
/// receiver could count one message too many. Bot-wide, `globalWindow` then makes the limit
/// exact however large the jitter (several processes, a starved machine); the buckets keep
/// the sends evenly spaced so the window rarely has to hold one back.
public struct DeliveryLimits: Sendable, Hashable {
    /// The default margin under Telegram's limits.
    public static let defaultSafetyFactor = 0.97
    /// The key of the bot-wide bucket; a 429 pauses it for `retry_after`.
    public static let globalKey = "global"

    /// Tokens per second for the whole bot after the margin; 0: unlimited.
    public let globalRate: Double
    /// Tokens per second per chat after the margin; 0: unlimited.
    public let perChatRate: Double
    /// Tokens per second per group after the margin; 0: unlimited.
    public let perGroupRate: Double
    /// The bot-wide limit exactly as Telegram counts arrivals (no margin: the window is exact
    /// whatever the jitter the margin absorbs); nil when unlimited.
    public let globalWindow: ArrivalWindow?

    public init(policy: DeliveryPolicy, safetyFactor: Double = DeliveryLimits.defaultSafetyFactor) {
        let factor = min(max(safetyFactor, 0.01), 1)
        globalRate = max(policy.globalRate, 0) * factor
        perChatRate = max(policy.perChatRate, 0) * factor
        perGroupRate = max(policy.perGroupPerMinute, 0) / 60 * factor
        globalWindow = ArrivalWindow(key: Self.globalKey, ratePerSecond: policy.globalRate)
    }

    /// The bot-wide bucket, nil when unlimited.
    public var global: RateBucket? {
        globalRate > 0 ? RateBucket(key: Self.globalKey, ratePerSecond: globalRate, burst: 1) : nil
    }

    /// The least time between the answer to one message to `chatID` and the start of the
    /// next one from the same worker, nil when unlimited. Exact where buckets are not: see
    /// `DeliveryWorker` (per-chat lanes).
    public func spacing(forChat chatID: Int64) -> Duration? {
        var rate = perChatRate
        if chatID < 0, perGroupRate > 0 { rate = rate > 0 ? min(rate, perGroupRate) : perGroupRate }
        return rate > 0 ? .seconds(1 / rate) : nil
    }

    /// Every bucket a message to `chatID` takes a token from; empty when all limits are off.
    public func buckets(forChat chatID: Int64) -> [RateBucket] {
        var buckets: [RateBucket] = []
        buckets.reserveCapacity(3)
        if let global { buckets.append(global) }
        if perChatRate > 0 { buckets.append(RateBucket(key: "chat:\(chatID)", ratePerSecond: perChatRate, burst: 1)) }
        if chatID < 0, perGroupRate > 0 {
            buckets.append(RateBucket(key: "group:\(chatID)", ratePerSecond: perGroupRate, burst: 1))
        }
        return buckets
    }
}
