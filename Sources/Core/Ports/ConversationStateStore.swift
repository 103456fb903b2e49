import Foundation

/// Where the chat front keeps each chat's FSM state between updates.
///
/// Embedded: SQLite. Scaled out: Redis. Writes are compare-and-set on a version so two updates
/// of one chat handled at once (two webhook instances) can never interleave.
public protocol ConversationStateStore: Sendable {
    /// The current state, nil when none or expired.
    func load(chatID: Int64) async throws -> VersionedConversationState?
    /// Saves `state` if the stored version equals `expectedVersion` (nil: nothing stored or
    /// expired). Returns the new version, or nil on a version conflict.
    func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64?
    /// Takes the chat for applying update `updateID`, in one atomic step: when the live state's
    /// `lastUpdateID` is at or above `updateID`, `.applied`; when it holds a lease still live at
    /// `now`, `.busy`; otherwise the stored state (or `fresh` when none is live) gets `lease`
    /// under `ConversationLease.key`, is saved with `ttl` and returned with its new version.
    /// One round trip on a server store (it replaces load, then save with the lease).
    func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState, now: Date,
               ttl: Duration) async throws -> ConversationClaim
    /// `claim`, and once the chat is claimed also one token from every one of `buckets` of the
    /// rate limiter (all or none, bulk rules), in the same step where the store and the limiter
    /// share a server: the reply's per-chat token then costs no round trip of its own.
    /// `tokenTaken` is false when this store cannot (the default: the caller takes the token from
    /// the limiter as usual), when the bucket had no token to give (nothing was taken), and for
    /// `.applied` and `.busy`.
    func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState, now: Date,
               ttl: Duration, taking buckets: [RateBucket]) async throws -> (claim: ConversationClaim, tokenTaken: Bool)
    /// Removes the state if the version matches (nil: unconditionally). Returns whether it removed one.
    @discardableResult
    func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool
}
