/// A lease-based lock so one scheduler is active at a time.
public protocol LeaderLock: Sendable {
    /// Acquires the lock, or renews it when `owner` already holds it. Returns whether `owner` holds it.
    func acquire(_ name: String, owner: String, lease: Duration) async throws -> Bool
    /// Releases the lock only if `owner` holds it.
    func release(_ name: String, owner: String) async throws
}
