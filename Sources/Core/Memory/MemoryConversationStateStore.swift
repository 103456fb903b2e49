import Foundation
import Synchronization

/// In-memory `ConversationStateStore` with TTL and compare-and-set.
public final class MemoryConversationStateStore: ConversationStateStore {
    private struct Entry {
        var state: ConversationState
        var version: Int64
        var expiresAt: Date
    }

    private let entries = Mutex<[Int64: Entry]>([:])
    private let clock: any NewsbotClock

    public init(clock: any NewsbotClock = SystemClock()) {
        self.clock = clock
    }

    public func load(chatID: Int64) async throws -> VersionedConversationState? {
        let now = clock.now()
        return entries.withLock { e in
            guard let entry = e[chatID], entry.expiresAt > now else { return nil }
            return VersionedConversationState(state: entry.state, version: entry.version)
        }
    }

    public func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64? {
        let now = clock.now()
        return entries.withLock { e in
            let live = e[chatID].flatMap { $0.expiresAt > now ? $0 : nil }
            guard live?.version == expectedVersion else { return nil }
            let version = (e[chatID]?.version ?? 0) + 1
            e[chatID] = Entry(state: state, version: version, expiresAt: now.addingTimeInterval(ttl.timeInterval))
            return version
        }
    }

    public func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool {
        let now = clock.now()
        return entries.withLock { e in
            guard let entry = e[chatID], entry.expiresAt > now else { return false }
            if let expectedVersion, entry.version != expectedVersion { return false }
            // Keep the version counter monotonic: an expired tombstone, not a removal.
            e[chatID]!.expiresAt = .distantPast
            return true
        }
    }
}
