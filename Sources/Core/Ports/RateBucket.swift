/// One token bucket: `ratePerSecond` tokens refill per second up to `burst`.
public struct RateBucket: Sendable, Hashable, Codable {
    /// Shared name, e.g. `global`, `chat:42`, `group:-100123`.
    public var key: String
    public var ratePerSecond: Double
    public var burst: Double

    public init(key: String, ratePerSecond: Double, burst: Double = 1) {
        self.key = key
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst)
    }
}
