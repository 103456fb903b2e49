import Core
import Foundation

/// `ConversationStateStore` on Redis: one hash per chat (`<prefix>state:<chatID>`) with the
/// state as JSON (`s`), its version (`v`) and its expiry in server milliseconds (`e`). Load,
/// save and clear are Lua scripts, so the compare-and-set on the version is atomic across
/// every bot instance.
///
/// Expiry and clear drop the state but keep the version counter, so versions never repeat
/// and a writer holding an old version can never overwrite a newer flow; the hash itself
/// expires `versionRetention` after the state did.
public struct RedisStateStore: ConversationStateStore {
    private let client: RedisClient
    private let keyPrefix: String
    private let versionRetention: Duration

    static let loadScript = RedisScript("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local fields = redis.call('HMGET', KEYS[1], 'v', 's', 'e')
        if fields[2] == false or (tonumber(fields[3]) or 0) <= now then return false end
        return {tonumber(fields[1]), fields[2]}
        """)

    /// ARGV: expected version ('' = nothing stored), state JSON, ttl ms, retention ms.
    /// Returns the new version, or false on a conflict.
    static let saveScript = RedisScript("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local fields = redis.call('HMGET', KEYS[1], 'v', 's', 'e')
        local version = tonumber(fields[1]) or 0
        local live = fields[2] ~= false and (tonumber(fields[3]) or 0) > now
        if ARGV[1] == '' then
            if live then return false end
        elseif not live or version ~= tonumber(ARGV[1]) then
            return false
        end
        version = version + 1
        local ttl = tonumber(ARGV[3])
        redis.call('HSET', KEYS[1], 'v', version, 's', ARGV[2], 'e', now + ttl)
        redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[4]))
        return version
        """)

    /// ARGV: expected version ('' = any). Returns 1 when a live state was removed.
    static let clearScript = RedisScript("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local fields = redis.call('HMGET', KEYS[1], 'v', 's', 'e')
        if fields[2] == false or (tonumber(fields[3]) or 0) <= now then return 0 end
        if ARGV[1] ~= '' and tonumber(fields[1]) ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HDEL', KEYS[1], 's')
        redis.call('HSET', KEYS[1], 'e', 0)
        return 1
        """)

    /// - Parameter versionRetention: how long a chat's version counter outlives its state.
    public init(client: RedisClient, keyPrefix: String = "newsbot:", versionRetention: Duration = .seconds(7 * 86_400)) {
        self.client = client
        self.keyPrefix = keyPrefix
        self.versionRetention = versionRetention
    }

    public init(url: String, keyPrefix: String = "newsbot:") throws {
        try self.init(client: RedisClient(url: url), keyPrefix: keyPrefix)
    }

    public func load(chatID: Int64) async throws -> VersionedConversationState? {
        let reply = try await client.eval(Self.loadScript, keys: [key(chatID)])
        if reply.isNull { return nil }
        guard let fields = reply.elements, fields.count == 2, let version = fields[0].int, let json = fields[1].bytes else {
            throw RedisError(.protocolError, "unexpected conversation state reply")
        }
        let state = try JSONDecoder().decode(ConversationState.self, from: Data(json))
        return VersionedConversationState(state: state, version: Int64(version))
    }

    public func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(state)
        let reply = try await client.eval(Self.saveScript, keys: [key(chatID)], arguments: [
            .string(expectedVersion.map(String.init) ?? ""), .bytes(Array(json)),
            .milliseconds(ttl), .milliseconds(versionRetention),
        ])
        if reply.isNull { return nil }
        guard let version = reply.int else { throw RedisError(.protocolError, "unexpected save reply") }
        return Int64(version)
    }

    @discardableResult
    public func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool {
        let reply = try await client.eval(Self.clearScript, keys: [key(chatID)],
                                          arguments: [.string(expectedVersion.map(String.init) ?? "")])
        return reply == .integer(1)
    }

    private func key(_ chatID: Int64) -> RedisArgument {
        .string(keyPrefix + "state:\(chatID)")
    }
}
