import Foundation
import Synchronization

/// In-memory `NewsCache` with TTLs and an owner-checked lock.
public final class MemoryNewsCache: NewsCache {
    private struct State {
        var values: [String: (data: Data, expiresAt: Date)] = [:]
        var locks: [String: (owner: String, expiresAt: Date)] = [:]
    }

    private let state = Mutex(State())
    private let clock: any NewsbotClock

    public init(clock: any NewsbotClock = SystemClock()) {
        self.clock = clock
    }

    public func value(forKey key: String) async throws -> Data? {
        let now = clock.now()
        return state.withLock { s in
            guard let entry = s.values[key], entry.expiresAt > now else { return nil }
            return entry.data
        }
    }

    public func store(_ value: Data, forKey key: String, ttl: Duration) async throws {
        let expiresAt = clock.now().addingTimeInterval(ttl.timeInterval)
        state.withLock { $0.values[key] = (value, expiresAt) }
    }

    public func lock(_ key: String, owner: String, ttl: Duration) async throws -> Bool {
        let now = clock.now()
        return state.withLock { s in
            if let held = s.locks[key], held.expiresAt > now, held.owner != owner { return false }
            s.locks[key] = (owner, now.addingTimeInterval(ttl.timeInterval))
            return true
        }
    }

    public func unlock(_ key: String, owner: String) async throws {
        state.withLock { s in
            if s.locks[key]?.owner == owner { s.locks.removeValue(forKey: key) }
        }
    }
}
