/// Telegram limits and retry behaviour for sending.
public struct DeliveryPolicy: Sendable, Hashable, Codable {
    /// Messages per second for the whole bot (30 by default; paid broadcasts up to 1000).
    public var globalRate: Double
    /// Messages per second to one chat.
    public var perChatRate: Double
    /// Messages per minute to one group.
    public var perGroupPerMinute: Double
    /// Concurrent sends per worker.
    public var concurrency: Int
    public var retry: RetryStrategy

    public init(globalRate: Double = 30, perChatRate: Double = 1, perGroupPerMinute: Double = 20,
                concurrency: Int = 32, retry: RetryStrategy = .init()) {
        self.globalRate = globalRate
        self.perChatRate = perChatRate
        self.perGroupPerMinute = perGroupPerMinute
        self.concurrency = concurrency
        self.retry = retry
    }
}
