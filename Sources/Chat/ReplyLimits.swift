import Core

/// The token buckets a reply takes before `sendMessage`, shared with digest delivery through the
/// same `RateLimiter` and the same bucket keys (`global`, `chat:<id>`, `group:<id>`), so the bot
/// as a whole stays within Telegram's limits. Replies take them with `.interactive` priority:
/// they may borrow ahead of the digest traffic, which then waits.
///
/// The per-chat bucket allows a small burst (Telegram tolerates short bursts in a private chat,
/// and a person typing quickly expects every answer at once): 2, one under the 3 the simulator
/// models, so requests that arrive late or bunched (two bot processes, a loaded machine) still
/// land inside Telegram's tolerance. A rate of 0 leaves a bucket out.
public struct ReplyLimits: Sendable, Hashable {
    public var globalPerSecond: Double
    public var perChatPerSecond: Double
    public var perChatBurst: Double
    public var perGroupPerMinute: Double

    public init(globalPerSecond: Double = 30 * 0.97, perChatPerSecond: Double = 0.97, perChatBurst: Double = 2,
                perGroupPerMinute: Double = 20 * 0.97) {
        self.globalPerSecond = max(globalPerSecond, 0)
        self.perChatPerSecond = max(perChatPerSecond, 0)
        self.perChatBurst = max(perChatBurst, 1)
        self.perGroupPerMinute = max(perGroupPerMinute, 0)
    }

    /// The bot-wide arrival window replies count in (they never wait there; digest sends
    /// yield to them), nil when the bot-wide limit is off.
    public var globalWindow: ArrivalWindow? {
        ArrivalWindow(key: "global", ratePerSecond: globalPerSecond)
    }

    /// No limits at all: for tests of everything but the limiter.
    public static let unlimited = ReplyLimits(globalPerSecond: 0, perChatPerSecond: 0, perGroupPerMinute: 0)

    /// The buckets of one reply to `chatID`: the bot-wide one, which a reply may borrow from
    /// ahead of digest traffic (`.interactive`), and the chat's own, which it may not: borrowing
    /// there would break that chat's limit itself.
    public func buckets(forChat chatID: Int64) -> (bot: [RateBucket], chat: [RateBucket]) {
        var bot: [RateBucket] = []
        var chat: [RateBucket] = []
        if globalPerSecond > 0 { bot.append(RateBucket(key: "global", ratePerSecond: globalPerSecond, burst: 1)) }
        if perChatPerSecond > 0 {
            chat.append(RateBucket(key: "chat:\(chatID)", ratePerSecond: perChatPerSecond, burst: perChatBurst))
        }
        if chatID < 0, perGroupPerMinute > 0 {
            chat.append(RateBucket(key: "group:\(chatID)", ratePerSecond: perGroupPerMinute / 60, burst: 1))
        }
        return (bot, chat)
    }
}
