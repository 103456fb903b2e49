/// The flood limits the simulator enforces, as Telegram does; 0 switches a limit off.
/// Windows slide (the last second / minute before each message), which is stricter
/// than Telegram's tolerance of short bursts, so a sender that passes here passes there.
public struct SimulatorRateLimits: Codable, Sendable, Hashable {
    /// Messages per second over all chats (Telegram: about 30).
    public var globalPerSecond: Int
    /// Messages per second to one chat (Telegram: 1).
    public var perChatPerSecond: Int
    /// Messages per minute to one group, i.e. a negative chat id (Telegram: 20).
    public var perGroupPerMinute: Int
    /// Messages one chat may take at once before `perChatPerSecond` holds (Telegram tolerates
    /// short bursts in a chat, e.g. a bot answering several quick messages). 1: no burst, every
    /// sliding second holds at most `perChatPerSecond`.
    public var perChatBurst: Int

    public init(globalPerSecond: Int = 30, perChatPerSecond: Int = 1, perGroupPerMinute: Int = 20, perChatBurst: Int = 1) {
        self.globalPerSecond = globalPerSecond
        self.perChatPerSecond = perChatPerSecond
        self.perGroupPerMinute = perGroupPerMinute
        self.perChatBurst = max(perChatBurst, 1)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(globalPerSecond: try container.decode(Int.self, forKey: .globalPerSecond),
                  perChatPerSecond: try container.decode(Int.self, forKey: .perChatPerSecond),
                  perGroupPerMinute: try container.decode(Int.self, forKey: .perGroupPerMinute),
                  perChatBurst: try container.decodeIfPresent(Int.self, forKey: .perChatBurst) ?? 1)
    }

    /// Telegram's documented limits for a bot without paid broadcasts.
    public static let telegram = SimulatorRateLimits(perChatBurst: 3)
    /// No limits: for load tests of everything but the rate limiter.
    public static let unlimited = SimulatorRateLimits(globalPerSecond: 0, perChatPerSecond: 0, perGroupPerMinute: 0)

    enum CodingKeys: String, CodingKey {
        case globalPerSecond = "global_per_second"
        case perChatPerSecond = "per_chat_per_second"
        case perGroupPerMinute = "per_group_per_minute"
        case perChatBurst = "per_chat_burst"
    }
}
