import Core
import Foundation
import Synchronization

/// A memory conversation-state store whose first `failures` loads fail, like a database that is
/// briefly unreachable.
final class FlakyStateStore: ConversationStateStore {
    struct Unreachable: Error {}

    private let inner = MemoryConversationStateStore()
    private let failuresLeft: Mutex<Int>

    init(failures: Int) {
        failuresLeft = Mutex(failures)
    }

    func load(chatID: Int64) async throws -> VersionedConversationState? {
        let fail = failuresLeft.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw Unreachable() }
        return try await inner.load(chatID: chatID)
    }

    func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64? {
        try await inner.save(state, chatID: chatID, expectedVersion: expectedVersion, ttl: ttl)
    }

    /// Through `load`, so a claim fails like a load.
    func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool {
        try await inner.clear(chatID: chatID, expectedVersion: expectedVersion)
    }
}
