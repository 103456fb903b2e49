import Core
import Synchronization

/// A `RateLimiter` that forwards to a real one and records what was asked of it.
final class RecordingRateLimiter: RateLimiter {
    struct Acquire: Sendable, Hashable {
        var keys: [String]
        var priority: RatePriority
    }

    let base: any RateLimiter
    private let acquires = Mutex<[Acquire]>([])
    private let pauses = Mutex<[String: Duration]>([:])

    init(_ base: any RateLimiter = MemoryRateLimiter()) {
        self.base = base
    }

    /// Successful and unsuccessful token requests, in order.
    var requests: [Acquire] { acquires.withLock { $0 } }
    var paused: [String: Duration] { pauses.withLock { $0 } }

    func acquire(_ buckets: [RateBucket], priority: RatePriority) async throws -> Duration {
        acquires.withLock { $0.append(Acquire(keys: buckets.map(\.key), priority: priority)) }
        return try await base.acquire(buckets, priority: priority)
    }

    func pause(_ key: String, for duration: Duration) async throws {
        pauses.withLock { $0[key] = duration }
        try await base.pause(key, for: duration)
    }

    func enter(_ window: ArrivalWindow, ticket: String, priority: RatePriority) async throws -> Duration {
        try await base.enter(window, ticket: ticket, priority: priority)
    }

    func leave(_ window: ArrivalWindow, ticket: String) async throws {
        try await base.leave(window, ticket: ticket)
    }
}
