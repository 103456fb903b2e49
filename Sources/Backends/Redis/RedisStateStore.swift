import Core
import Foundation

/// `ConversationStateStore` on Redis: one hash per chat (`<prefix>state:<chatID>`) with the
/// state as JSON (`s`, written by `RedisStateJSON`), its version (`v`) and its expiry in server
/// milliseconds (`e`). Load, save, claim and clear are Lua scripts, so the compare-and-set on the
/// version is atomic across every bot instance; claim takes a chat for one update in one round
/// trip where load and save took two, and with `limiter` set it can take the reply's rate-limit
/// token in the same script.
///
/// Expiry and clear drop the state but keep the version counter, so versions never repeat
/// and a writer holding an old version can never overwrite a newer flow; the hash itself
/// expires `versionRetention` after the state did.
public struct RedisStateStore: ConversationStateStore {
    private let client: RedisClient
    /// `<prefix>state:`, the chat id follows.
    private let statePrefix: String
    private let versionRetention: Duration
    /// The limiter whose buckets `claim(…taking:)` takes from in the claim's own script; it must
    /// use the same Redis server. Nil: claims take no tokens.
    private let limiter: RedisRateLimiter?

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

    /// ARGV: update id, lease (`owner@ms`, no quote or backslash), the caller's now in ms, the
    /// fresh state's JSON (lease included), ttl ms, retention ms. Returns {0, lastUpdateID} when
    /// the update was applied already, {1} when a live lease holds the chat, else {2, version,
    /// state JSON} with the lease written. The state JSON is `RedisStateJSON`'s (compact): the last
    /// update id and the lease are found by pattern, and the lease is spliced into `data` without
    /// decoding, so the stored layout stays the one `load` and older bot processes read.
    static let claimScript = RedisScript(claimBody + """
        return {2, version, s}
        """)

    /// `claimScript` that, once the chat is claimed, also takes one token from each bucket that
    /// follows the state key in KEYS (hashes, then pause keys; rate and burst pairs from ARGV[7]),
    /// with `RedisRateLimiter`'s rules for bulk requests. Returns {2, version, state JSON, wait ms}
    /// when claimed (wait "0": taken).
    static let claimTakingScript = RedisScript(RedisRateLimiter.takeFunction + claimBody
        + RedisRateLimiter.bucketsPrelude(keyFirst: 2, argumentFirst: 7) + """
        local wait = take(bucketKeys, pauseKeys, rates, bursts, false, now)
        return {2, version, s, string.format('%.17g', wait)}
        """)

    /// The claim up to writing the lease; `now` is the server's time in ms.
    private static let claimBody = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local fields = redis.call('HMGET', KEYS[1], 'v', 's', 'e')
        local version = tonumber(fields[1]) or 0
        local s = fields[2]
        if s == false or (tonumber(fields[3]) or 0) <= now then
            s = ARGV[4]
        else
            local last = string.match(s, '"lastUpdateID":(%d+)')
            if last and (#last > #ARGV[1] or (#last == #ARGV[1] and last >= ARGV[1])) then return {0, last} end
            local from, to, held = string.find(s, '"lease":"([^"]*)"')
            if from then
                local heldUntil = string.match(held, '@(%d+)$')
                if heldUntil and tonumber(heldUntil) > tonumber(ARGV[3]) then return {1} end
                s = string.sub(s, 1, from - 1) .. '"lease":"' .. ARGV[2] .. '"' .. string.sub(s, to + 1)
            else
                local _, open = string.find(s, '"data":{', 1, true)
                if not open then return redis.error_reply('unreadable conversation state') end
                local separator = ','
                if string.sub(s, open + 1, open + 1) == '}' then separator = '' end
                s = string.sub(s, 1, open) .. '"lease":"' .. ARGV[2] .. '"' .. separator .. string.sub(s, open + 1)
            end
        end
        version = version + 1
        local ttl = tonumber(ARGV[5])
        redis.call('HSET', KEYS[1], 'v', version, 's', s, 'e', now + ttl)
        redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[6]))

        """

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

    /// - Parameters:
    ///   - versionRetention: how long a chat's version counter outlives its state.
    ///   - limiter: the rate limiter on the same server, whose reply tokens a claim may take.
    public init(client: RedisClient, keyPrefix: String = "newsbot:", versionRetention: Duration = .seconds(7 * 86_400),
                limiter: RedisRateLimiter? = nil) {
        self.client = client
        self.statePrefix = keyPrefix + "state:"
        self.versionRetention = versionRetention
        self.limiter = limiter
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
        let state = try RedisStateJSON.decode(json)
        return VersionedConversationState(state: state, version: Int64(version))
    }

    public func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64? {
        let reply = try await client.eval(Self.saveScript, keys: [key(chatID)], arguments: [
            expectedVersion.map(RedisArgument.int) ?? "", .bytes(RedisStateJSON.encode(state)),
            .milliseconds(ttl), .milliseconds(versionRetention),
        ])
        if reply.isNull { return nil }
        guard let version = reply.int else { throw RedisError(.protocolError, "unexpected save reply") }
        return Int64(version)
    }

    public func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState, now: Date,
                      ttl: Duration) async throws -> ConversationClaim {
        try await claim(chatID: chatID, updateID: updateID, lease: lease, fresh: fresh, now: now, ttl: ttl, taking: []).claim
    }

    public func claim(chatID: Int64, updateID: Int64, lease: ConversationLease, fresh: ConversationState, now: Date,
                      ttl: Duration, taking buckets: [RateBucket]) async throws -> (claim: ConversationClaim, tokenTaken: Bool) {
        let leaseValue = lease.encoded
        // The script splices the lease between quotes as it is and compares ids as decimal
        // strings; anything else takes the two-step path.
        guard updateID >= 0, leaseValue.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
            let claim = try await claimByCompareAndSet(chatID: chatID, updateID: updateID, lease: lease, fresh: fresh, now: now, ttl: ttl)
            return (claim, false)
        }
        var first = fresh
        first.data[ConversationLease.key] = leaseValue
        var keys = [key(chatID)]
        var arguments: [RedisArgument] = [
            .int(updateID), .string(leaseValue), .int(Int64((now.timeIntervalSince1970 * 1000).rounded(.down))),
            .bytes(RedisStateJSON.encode(first)), .milliseconds(ttl), .milliseconds(versionRetention),
        ]
        // The limiter that takes the reply's token here, if any bucket asks for one.
        let taker = buckets.isEmpty ? nil : limiter
        let taking = taker != nil
        if let taker {
            keys += taker.keys(buckets)
            arguments += RedisRateLimiter.arguments(buckets)
        }
        let reply = try await client.eval(taking ? Self.claimTakingScript : Self.claimScript, keys: keys, arguments: arguments)
        guard let fields = reply.elements, let kind = fields.first?.int else {
            throw RedisError(.protocolError, "unexpected claim reply")
        }
        switch kind {
        case 0:
            guard fields.count == 2, let text = fields[1].bytes, let last = Int64(String(decoding: text, as: UTF8.self)) else {
                throw RedisError(.protocolError, "unexpected claim reply")
            }
            return (.applied(lastUpdateID: last), false)
        case 1:
            return (.busy, false)
        default:
            guard fields.count == (taking ? 4 : 3), let version = fields[1].int, let json = fields[2].bytes else {
                throw RedisError(.protocolError, "unexpected claim reply")
            }
            let state = try RedisStateJSON.decode(json)
            let tokenTaken = taking ? try RedisRateLimiter.wait(from: fields[3]) == .zero : false
            return (.claimed(VersionedConversationState(state: state, version: Int64(version))), tokenTaken)
        }
    }

    @discardableResult
    public func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool {
        let reply = try await client.eval(Self.clearScript, keys: [key(chatID)],
                                          arguments: [expectedVersion.map(RedisArgument.int) ?? ""])
        return reply == .integer(1)
    }

    private func key(_ chatID: Int64) -> RedisArgument {
        .numbered(statePrefix, chatID)
    }
}
