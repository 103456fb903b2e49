import Foundation
import Synchronization

/// In-process token buckets: the embedded rate limiter, exact within one process.
public final class MemoryRateLimiter: RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Date
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        /// Keys held back by `pause` until the given time.
        var pausedUntil: [String: Date] = [:]
        /// Arrival windows: ticket → the moment it stops counting.
        var windows: [String: [String: Date]] = [:]
    }

    private let state = Mutex(State())
    private let clock: any NewsbotClock

    public init(clock: any NewsbotClock = SystemClock()) {
        self.clock = clock
    }

    public func acquire(_ requested: [RateBucket], priority: RatePriority) async throws -> Duration {
        let now = clock.now()
        return state.withLock { state in
            var refilled: [(RateBucket, Bucket)] = []
            var wait = 0.0
            if !state.pausedUntil.isEmpty {
                for spec in requested {
                    guard let until = state.pausedUntil[spec.key] else { continue }
                    if until > now { wait = max(wait, until.timeIntervalSince(now)) } else { state.pausedUntil[spec.key] = nil }
                }
                if wait > 0 { return .seconds(wait) }
            }
            for spec in requested where spec.ratePerSecond > 0 {
                var bucket = state.buckets[spec.key] ?? Bucket(tokens: spec.burst, updatedAt: now)
                let elapsed = max(0, now.timeIntervalSince(bucket.updatedAt))
                bucket.tokens = min(spec.burst, bucket.tokens + elapsed * spec.ratePerSecond)
                bucket.updatedAt = now
                // Bulk needs a whole token; interactive may borrow down to -burst.
                let floor = priority == .interactive ? -spec.burst : 0
                if bucket.tokens - 1 < floor {
                    wait = max(wait, (floor + 1 - bucket.tokens) / spec.ratePerSecond)
                }
                refilled.append((spec, bucket))
            }
            for (spec, bucket) in refilled {
                var updated = bucket
                if wait == 0 { updated.tokens -= 1 }
                state.buckets[spec.key] = updated
            }
            return wait == 0 ? .zero : .seconds(wait)
        }
    }

    public func pause(_ key: String, for duration: Duration) async throws {
        guard duration > .zero else { return }
        let until = clock.now().addingTimeInterval(duration.timeInterval)
        state.withLock { state in
            if let current = state.pausedUntil[key], current >= until { return }
            state.pausedUntil[key] = until
        }
    }

    public func enter(_ window: ArrivalWindow, ticket: String, priority: RatePriority) async throws -> Duration {
        let now = clock.now()
        let span = window.span.timeInterval
        return state.withLock { state in
            var active = state.windows[window.key, default: [:]]
            active = active.filter { $0.value > now }
            defer { state.windows[window.key] = active }
            if active.count < window.capacity(for: priority) {
                active[ticket] = now.addingTimeInterval(window.inFlightExpiry.timeInterval + span)
                return .zero
            }
            // The soonest a place frees: an answered send ageing out, or, while every place is a
            // send still waiting for its answer, a short look again.
            let soonest = active.values.min().map { $0.timeIntervalSince(now) } ?? 0
            return soonest <= span ? .seconds(max(soonest, 0.000_1)) : .milliseconds(5)
        }
    }

    public func leave(_ window: ArrivalWindow, ticket: String) async throws {
        let until = clock.now().addingTimeInterval(window.span.timeInterval)
        state.withLock { state in
            state.windows[window.key, default: [:]][ticket] = until
        }
    }
}
