import Core
import Foundation
import Synchronization

/// A memory conversation-state store whose claims report the reply token taken, as the Redis
/// store's do when its limiter shares the server; it records which buckets each claim was given.
final class TokenTakingStateStore: ConversationStateStore {
    private let inner = MemoryConversationStateStore()
    private let takes: Bool
    private let asked = Mutex<[[String]]>([])

    init(takes: Bool) {
        self.takes = takes
    }

    /// The bucket keys of each claim, in order.
    var requested: [[String]] { asked.withLock { $0 } }

    func load(chatID: Int64) async throws -> VersionedConversationState? {
        try await inner.load(chatID: chatID)
    }

    func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64? {
        try await inner.save(state, chatID: chatID, expectedVersion: expectedVersion, ttl: ttl)
    }

    func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState, now: Date,
               ttl: Duration, taking buckets: [RateBucket]) async throws -> (claim: ConversationClaim, tokenTaken: Bool) {
        asked.withLock { $0.append(buckets.map(\.key)) }
        let claim = try await inner.claim(chatID: chatID, updateID: updateID, lease: lease, fresh: fresh, now: now, ttl: ttl)
        guard case .claimed = claim else { return (claim, false) }
        return (claim, takes && !buckets.isEmpty)
    }

    func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool {
        try await inner.clear(chatID: chatID, expectedVersion: expectedVersion)
    }
}
