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

    public init(globalPerSecond: Int = 30, perChatPerSecond: Int = 1, perGroupPerMinute: Int = 20) {
        self.globalPerSecond = globalPerSecond
        self.perChatPerSecond = perChatPerSecond
        self.perGroupPerMinute = perGroupPerMinute
    }

    /// Telegram's documented limits for a bot without paid broadcasts.
    public static let telegram = SimulatorRateLimits()
    /// No limits: for load tests of everything but the rate limiter.
    public static let unlimited = SimulatorRateLimits(globalPerSecond: 0, perChatPerSecond: 0, perGroupPerMinute: 0)

    enum CodingKeys: String, CodingKey {
        case globalPerSecond = "global_per_second"
        case perChatPerSecond = "per_chat_per_second"
        case perGroupPerMinute = "per_group_per_minute"
    }
}
