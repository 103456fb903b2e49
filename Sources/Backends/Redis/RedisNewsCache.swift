import Core
import Foundation

/// `NewsCache` on Redis: values with `SET … PX` (Redis expires them, so every worker sees
/// one copy per cache period), and the single-flight fetch lock as an owned lease.
///
/// Keys: `<prefix>news:<key>` and `<prefix>news-lock:<key>`.
public struct RedisNewsCache: NewsCache {
    private let client: RedisClient
    private let keyPrefix: String

    public init(client: RedisClient, keyPrefix: String = "newsbot:") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    /// Its own client for `redis://…`.
    public init(url: String, keyPrefix: String = "newsbot:") throws {
        try self.init(client: RedisClient(url: url), keyPrefix: keyPrefix)
    }

    public func value(forKey key: String) async throws -> Data? {
        try await client.get(keyPrefix + "news:" + key).map { Data($0) }
    }

    public func store(_ value: Data, forKey key: String, ttl: Duration) async throws {
        try await client.set(keyPrefix + "news:" + key, Array(value), expiry: ttl)
    }

    public func lock(_ key: String, owner: String, ttl: Duration) async throws -> Bool {
        try await RedisOwnedLock(client: client).acquire(key: keyPrefix + "news-lock:" + key, owner: owner, ttl: ttl)
    }

    public func unlock(_ key: String, owner: String) async throws {
        try await RedisOwnedLock(client: client).release(key: keyPrefix + "news-lock:" + key, owner: owner)
    }
}
