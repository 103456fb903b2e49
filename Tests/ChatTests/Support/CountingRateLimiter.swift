import Core
import Synchronization

/// A memory rate limiter that counts the tokens taken per bucket key.
final class CountingRateLimiter: RateLimiter {
    private let inner = MemoryRateLimiter()
    private let taken = Mutex<[String: Int]>([:])

    func tokens(_ key: String) -> Int { taken.withLock { $0[key, default: 0] } }

    func acquire(_ buckets: [RateBucket], priority: RatePriority) async throws -> Duration {
        let wait = try await inner.acquire(buckets, priority: priority)
        if wait == .zero { taken.withLock { for bucket in buckets { $0[bucket.key, default: 0] += 1 } } }
        return wait
    }

    func pause(_ key: String, for duration: Duration) async throws {
        try await inner.pause(key, for: duration)
    }

    func enter(_ window: ArrivalWindow, ticket: String, priority: RatePriority) async throws -> Duration {
        try await inner.enter(window, ticket: ticket, priority: priority)
    }

    func leave(_ window: ArrivalWindow, ticket: String) async throws {
        try await inner.leave(window, ticket: ticket)
    }
}
