/// One chat's tolerance for short bursts: a token bucket refilled at the per-chat rate and
/// holding up to the burst size. Telegram lets a private chat take a quick burst of answers
/// ("short bursts are allowed, but eventually you'll get 429s"); a sustained rate above the
/// limit still runs the bucket dry. Times are the simulator's monotonic nanoseconds.
struct BurstBudget: Sendable {
    /// Tokens at `updatedAt`; nil until first used (a new chat starts full).
    private var tokens: Double?
    private var updatedAt: Int64 = 0

    /// Nanoseconds until one token is available (0: available now).
    func wait(now: Int64, ratePerSecond: Double, capacity: Double) -> Int64 {
        let available = level(now: now, ratePerSecond: ratePerSecond, capacity: capacity)
        guard available < 1 else { return 0 }
        return Int64(((1 - available) / ratePerSecond * 1e9).rounded(.up))
    }

    /// Takes one token (after `wait` said one is there).
    mutating func take(now: Int64, ratePerSecond: Double, capacity: Double) {
        tokens = level(now: now, ratePerSecond: ratePerSecond, capacity: capacity) - 1
        updatedAt = now
    }

    private func level(now: Int64, ratePerSecond: Double, capacity: Double) -> Double {
        guard let tokens else { return capacity }
        return min(capacity, tokens + Double(max(now - updatedAt, 0)) / 1e9 * ratePerSecond)
    }
}
