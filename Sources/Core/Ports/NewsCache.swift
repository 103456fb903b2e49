import Foundation

/// Shared cache of fetched news, plus the single-flight lock that makes N users, M workers and
/// K slots in one cache period cost one source call per query.
///
/// Embedded: SQLite or memory. Scaled out: Redis (`SET NX PX`, released by owner only).
public protocol NewsCache: Sendable {
    func value(forKey key: String) async throws -> Data?
    func store(_ value: Data, forKey key: String, ttl: Duration) async throws
    /// Takes the lock for `key` if free or expired. Returns whether `owner` now holds it.
    func lock(_ key: String, owner: String, ttl: Duration) async throws -> Bool
    /// Releases the lock only if `owner` holds it.
    func unlock(_ key: String, owner: String) async throws
}
