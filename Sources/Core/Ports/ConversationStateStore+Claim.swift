import Foundation

extension ConversationStateStore {
    /// By default `claim` is `claimByCompareAndSet`: in-process or on one local file (memory,
    /// SQLite) its two steps are cheap; a server store overrides it with one round trip.
    public func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState,
                      now: Date, ttl: Duration) async throws -> ConversationClaim {
        try await claimByCompareAndSet(chatID: chatID, updateID: updateID, lease: lease, fresh: fresh, now: now, ttl: ttl)
    }

    /// By default a claim takes no tokens: the store and the limiter are apart.
    public func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState, now: Date,
                      ttl: Duration, taking buckets: [RateBucket]) async throws -> (claim: ConversationClaim, tokenTaken: Bool) {
        (try await claim(chatID: chatID, updateID: updateID, lease: lease, fresh: fresh, now: now, ttl: ttl), false)
    }

    /// `claim` from `load` and `save`: the compare-and-set on the version keeps it atomic; a
    /// writer slipping in between is looked at again, a few times, then reported busy (the caller
    /// waits and retries). Two round trips; a server store can do it in one.
    public func claimByCompareAndSet(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState,
                                     now: Date, ttl: Duration) async throws -> ConversationClaim {
        for _ in 0..<8 {
            let stored = try await load(chatID: chatID)
            var state = stored?.state ?? fresh
            if let stored {
                if let last = stored.state.lastUpdateID, updateID <= last { return .applied(lastUpdateID: last) }
                if let held = stored.state.data[ConversationLease.key].flatMap(ConversationLease.init(encoded:)),
                   held.isLive(at: now) {
                    return .busy
                }
            }
            state.data[ConversationLease.key] = lease.encoded
            if let version = try await save(state, chatID: chatID, expectedVersion: stored?.version, ttl: ttl) {
                return .claimed(VersionedConversationState(state: state, version: version))
            }
        }
        return .busy
    }
}
