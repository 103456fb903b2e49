import Core

/// `UpdateDeduplicator` on Redis: `SET <prefix>update:<id> 1 NX PX ttl` succeeds for exactly
/// one of any number of webhook instances receiving the same update.
public struct RedisUpdateDeduplicator: UpdateDeduplicator {
    private let client: RedisClient
    private let keyPrefix: String

    public init(client: RedisClient, keyPrefix: String = "newsbot:") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    public init(url: String, keyPrefix: String = "newsbot:") throws {
        try self.init(client: RedisClient(url: url), keyPrefix: keyPrefix)
    }

    public func firstSeen(updateID: Int64, ttl: Duration) async throws -> Bool {
        try await client.set(keyPrefix + "update:\(updateID)", "1", expiry: ttl, onlyIfAbsent: true)
    }
}
