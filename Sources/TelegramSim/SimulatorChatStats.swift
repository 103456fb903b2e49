/// Counters of one chat: what the delivery loop sent to it and how fast.
public struct SimulatorChatStats: Codable, Sendable, Hashable {
    public var chatID: Int64
    public var accepted: Int
    public var tooManyRequests: Int
    /// Most messages accepted within any sliding 1-second window.
    public var maxPerSecond: Int
    /// Most messages accepted within any sliding 1-minute window (groups only, else 0).
    public var maxPerMinute: Int

    public init(chatID: Int64, accepted: Int = 0, tooManyRequests: Int = 0, maxPerSecond: Int = 0, maxPerMinute: Int = 0) {
        self.chatID = chatID
        self.accepted = accepted
        self.tooManyRequests = tooManyRequests
        self.maxPerSecond = maxPerSecond
        self.maxPerMinute = maxPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case accepted
        case tooManyRequests = "too_many_requests"
        case maxPerSecond = "max_per_second"
        case maxPerMinute = "max_per_minute"
    }
}
