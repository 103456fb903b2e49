import Core

/// `LeaderLock` on Redis: one lease key per name (`<prefix>leader:<name>`), expiring by
/// itself when the leader dies, renewed by acquiring again, released by its owner only.
/// A single Redis node is the arbiter (no Redlock): fine while Redis is one primary.
public struct RedisLeaderLock: LeaderLock {
    private let client: RedisClient
    private let keyPrefix: String

    public init(client: RedisClient, keyPrefix: String = "newsbot:") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    public init(url: String, keyPrefix: String = "newsbot:") throws {
        try self.init(client: RedisClient(url: url), keyPrefix: keyPrefix)
    }

    public func acquire(_ name: String, owner: String, lease: Duration) async throws -> Bool {
        try await RedisOwnedLock(client: client).acquire(key: keyPrefix + "leader:" + name, owner: owner, ttl: lease)
    }

    public func release(_ name: String, owner: String) async throws {
        try await RedisOwnedLock(client: client).release(key: keyPrefix + "leader:" + name, owner: owner)
    }
}
