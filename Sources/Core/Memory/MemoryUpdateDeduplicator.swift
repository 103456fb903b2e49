import Foundation
import Synchronization

/// In-memory `UpdateDeduplicator`; entries older than their TTL are pruned as new ones arrive.
public final class MemoryUpdateDeduplicator: UpdateDeduplicator {
    private struct State {
        var seen: [Int64: Date] = [:]
        var lastPrune = Date.distantPast
    }

    private let state = Mutex(State())
    private let clock: any NewsbotClock

    public init(clock: any NewsbotClock = SystemClock()) {
        self.clock = clock
    }

    public func firstSeen(updateID: Int64, ttl: Duration) async throws -> Bool {
        let now = clock.now()
        return state.withLock { s in
            if now.timeIntervalSince(s.lastPrune) > 60 {
                s.seen = s.seen.filter { $0.value > now }
                s.lastPrune = now
            }
            if let expiresAt = s.seen[updateID], expiresAt > now { return false }
            s.seen[updateID] = now.addingTimeInterval(ttl.timeInterval)
            return true
        }
    }
}
