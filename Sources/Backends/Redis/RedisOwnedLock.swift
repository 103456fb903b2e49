/// A lease held by one owner: taken when free (or expired) or already the caller's (which
/// renews it), released only by its owner. Both steps are Lua scripts, so a late release
/// by a previous owner can never free someone else's lease. Shared by the news-cache
/// single-flight lock and the leader lock.
struct RedisOwnedLock: Sendable {
    static let acquireScript = RedisScript("""
        local holder = redis.call('GET', KEYS[1])
        if holder == false or holder == ARGV[1] then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
        end
        return 0
        """)

    static let releaseScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """)

    let client: RedisClient

    /// Whether `owner` holds the lease on `key` for `ttl` from now.
    func acquire(key: String, owner: String, ttl: Duration) async throws -> Bool {
        let reply = try await client.eval(Self.acquireScript, keys: [.string(key)],
                                          arguments: [.string(owner), .milliseconds(ttl)])
        return reply == .integer(1)
    }

    func release(key: String, owner: String) async throws {
        try await client.eval(Self.releaseScript, keys: [.string(key)], arguments: [.string(owner)])
    }
}
