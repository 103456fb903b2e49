import Foundation
import Synchronization

/// In-process `LeaderLock`: enough when one process runs the scheduler (embedded mode).
public final class MemoryLeaderLock: LeaderLock {
    private let holders = Mutex<[String: (owner: String, expiresAt: Date)]>([:])
    private let clock: any NewsbotClock

    public init(clock: any NewsbotClock = SystemClock()) {
        self.clock = clock
    }

    public func acquire(_ name: String, owner: String, lease: Duration) async throws -> Bool {
        let now = clock.now()
        return holders.withLock { h in
            if let held = h[name], held.expiresAt > now, held.owner != owner { return false }
            h[name] = (owner, now.addingTimeInterval(lease.timeInterval))
            return true
        }
    }

    public func release(_ name: String, owner: String) async throws {
        holders.withLock { h in
            if h[name]?.owner == owner { h.removeValue(forKey: name) }
        }
    }
}
