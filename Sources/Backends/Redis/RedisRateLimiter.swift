import Core
import Foundation

/// `RateLimiter` on Redis: every bot and worker process takes tokens from the same buckets,
/// so N workers together stay within one budget (e.g. Telegram's 30 msg/s per bot).
///
/// One Lua script refills and takes from all requested buckets atomically (all or none),
/// with the same rules as `MemoryRateLimiter`: bulk needs a whole token, interactive may
/// borrow down to minus one burst, pauses (429 `retry_after`) hold a key back for everyone.
/// Time is Redis' own clock (`TIME`), so workers with skewed clocks still agree; pass a
/// `clock` only to drive it with a manual clock in tests.
///
/// Keys: `<prefix>rate:<bucket>` (hash: tokens `t`, updated ms `u`),
/// `<prefix>rate-pause:<bucket>` (paused-until ms) and `<prefix>window:<window>` (sorted set of
/// active sends, scored by the ms they stop counting); all expire once they no longer matter.
/// All keys of one call must live on one node (no Redis Cluster across slots).
public struct RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    /// `<prefix>rate:`, `<prefix>rate-pause:` and `<prefix>window:`; a bucket's or window's key follows.
    private let ratePrefix: String
    private let pausePrefix: String
    private let windowPrefix: String
    private let clock: (any NewsbotClock)?

    /// Lua that sets `now` (ms) from ARGV[1], or from the server's `TIME` when it is ''.
    private static let nowPrelude = """
        local now
        if ARGV[1] == '' then
            local t = redis.call('TIME')
            now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        else
            now = tonumber(ARGV[1])
        end

        """

    /// Lua function `take(bucketKeys, pauseKeys, rates, bursts, interactive, now)`: refills and
    /// takes one token from every bucket (all or none) and returns the wait in ms (0 = taken).
    /// Shared with `RedisStateStore`'s claim, which takes a reply's token in the same script.
    static let takeFunction = """
        local function take(bucketKeys, pauseKeys, rates, bursts, interactive, now)
            local n = #bucketKeys
            local wait = 0
            for i = 1, n do
                local pausedUntil = tonumber(redis.call('GET', pauseKeys[i]) or '0') or 0
                if pausedUntil > now then wait = math.max(wait, pausedUntil - now) end
            end
            if wait > 0 then return wait end
            local tokens = {}
            for i = 1, n do
                local rate = rates[i]
                local burst = bursts[i]
                if rate > 0 then
                    local state = redis.call('HMGET', bucketKeys[i], 't', 'u')
                    local t = tonumber(state[1]) or burst
                    local updated = tonumber(state[2]) or now
                    t = math.min(burst, t + math.max(0, now - updated) / 1000 * rate)
                    local floor = 0
                    if interactive then floor = -burst end
                    if t - 1 < floor then wait = math.max(wait, (floor + 1 - t) / rate * 1000) end
                    tokens[i] = t
                end
            end
            for i = 1, n do
                local t = tokens[i]
                if t then
                    if wait == 0 then t = t - 1 end
                    redis.call('HSET', bucketKeys[i], 't', string.format('%.17g', t), 'u', string.format('%.17g', now))
                    -- Once refilled from the deepest debt the bucket is full: a missing key is the same.
                    redis.call('PEXPIRE', bucketKeys[i], math.ceil(2 * bursts[i] / rates[i] * 1000) + 60000)
                end
            end
            return wait
        end

        """

    /// Lua that reads the buckets of `take` from KEYS and ARGV, starting at `KEYS[keyFirst]`
    /// (n bucket hashes, then their n pause keys) and `ARGV[argumentFirst]` (rate and burst per
    /// bucket).
    static func bucketsPrelude(keyFirst: Int, argumentFirst: Int) -> String {
        """
        local n = (#KEYS - \(keyFirst - 1)) / 2
        local bucketKeys, pauseKeys, rates, bursts = {}, {}, {}, {}
        for i = 1, n do
            bucketKeys[i] = KEYS[\(keyFirst - 1) + i]
            pauseKeys[i] = KEYS[\(keyFirst - 1) + n + i]
            rates[i] = tonumber(ARGV[\(argumentFirst - 2) + 2 * i])
            bursts[i] = tonumber(ARGV[\(argumentFirst - 1) + 2 * i])
        end

        """
    }

    /// KEYS: n bucket hashes, then their n pause keys. ARGV: now ms ('' = server TIME),
    /// '1' if interactive, then rate and burst per bucket. Returns the wait in ms as a
    /// string ("0" = taken).
    static let acquireScript = RedisScript(nowPrelude + takeFunction + bucketsPrelude(keyFirst: 1, argumentFirst: 3) + """
        return string.format('%.17g', take(bucketKeys, pauseKeys, rates, bursts, ARGV[2] == '1', now))
        """)

    /// KEYS[1]: pause key. ARGV: now ms ('' = server TIME), duration ms. Never shortens.
    static let pauseScript = RedisScript(nowPrelude + """
        local duration = tonumber(ARGV[2])
        local pausedUntil = now + duration
        local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
        if current >= pausedUntil then return 0 end
        redis.call('SET', KEYS[1], string.format('%.17g', pausedUntil), 'PX', math.ceil(duration) + 60000)
        return 1
        """)

    /// KEYS[1]: the window's sorted set (ticket → ms it stops counting). ARGV: now ms ('' =
    /// server TIME), capacity, span ms, in-flight expiry ms, ticket. Returns the wait in ms as
    /// a string ("0" = entered).
    static let enterScript = RedisScript(nowPrelude + """
        local capacity = tonumber(ARGV[2])
        local span = tonumber(ARGV[3])
        local expiry = tonumber(ARGV[4])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.17g', now))
        if redis.call('ZCARD', KEYS[1]) < capacity then
            redis.call('ZADD', KEYS[1], string.format('%.17g', now + expiry + span), ARGV[5])
            redis.call('PEXPIRE', KEYS[1], math.ceil(expiry + span) + 60000)
            return '0'
        end
        local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local soonest = tonumber(first[2]) - now
        if soonest > span then return '5' end
        return string.format('%.17g', math.max(soonest, 0.1))
        """)

    /// KEYS[1]: the window's sorted set. ARGV: now ms ('' = server TIME), span ms, ticket.
    static let leaveScript = RedisScript(nowPrelude + """
        local span = tonumber(ARGV[2])
        redis.call('ZADD', KEYS[1], string.format('%.17g', now + span), ARGV[3])
        if redis.call('PTTL', KEYS[1]) < span then redis.call('PEXPIRE', KEYS[1], math.ceil(span) + 60000) end
        return 1
        """)

    public init(client: RedisClient, keyPrefix: String = "newsbot:", clock: (any NewsbotClock)? = nil) {
        self.client = client
        self.ratePrefix = keyPrefix + "rate:"
        self.pausePrefix = keyPrefix + "rate-pause:"
        self.windowPrefix = keyPrefix + "window:"
        self.clock = clock
    }

    public init(url: String, keyPrefix: String = "newsbot:") throws {
        try self.init(client: RedisClient(url: url), keyPrefix: keyPrefix)
    }

    public func acquire(_ buckets: [RateBucket], priority: RatePriority) async throws -> Duration {
        guard !buckets.isEmpty else { return .zero }
        let reply = try await client.eval(Self.acquireScript, keys: keys(buckets),
                                          arguments: [nowArgument(), priority == .interactive ? "1" : "0"] + Self.arguments(buckets))
        return try Self.wait(from: reply)
    }

    /// The keys `take` reads for `buckets`: their hashes, then their pause keys.
    func keys(_ buckets: [RateBucket]) -> [RedisArgument] {
        var keys: [RedisArgument] = []
        keys.reserveCapacity(2 * buckets.count)
        for bucket in buckets { keys.append(.joined(ratePrefix, bucket.key)) }
        for bucket in buckets { keys.append(.joined(pausePrefix, bucket.key)) }
        return keys
    }

    /// The arguments `take` reads for `buckets`: rate and burst of each.
    static func arguments(_ buckets: [RateBucket]) -> [RedisArgument] {
        var arguments: [RedisArgument] = []
        arguments.reserveCapacity(2 * buckets.count)
        for bucket in buckets {
            arguments.append(.string(number(bucket.ratePerSecond)))
            arguments.append(.string(number(bucket.burst)))
        }
        return arguments
    }

    /// A script's wait in ms ("0" = granted) as a duration.
    static func wait(from reply: RedisValue) throws -> Duration {
        guard let text = reply.string, let millis = Double(text), millis.isFinite, millis >= 0 else {
            throw RedisError(.protocolError, "unexpected rate limiter reply")
        }
        if millis == 0 { return .zero }
        // Nearest microsecond (float noise must not push 100 ms to 100.001), never zero.
        return .microseconds(max(1, Int64((millis * 1000).rounded())))
    }

    public func pause(_ key: String, for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await client.eval(Self.pauseScript, keys: [.joined(pausePrefix, key)],
                              arguments: [nowArgument(), .string(Self.number(Self.millis(duration)))])
    }

    private static func millis(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    public func enter(_ window: ArrivalWindow, ticket: String, priority: RatePriority) async throws -> Duration {
        let reply = try await client.eval(Self.enterScript, keys: [windowKey(window)], arguments: [
            nowArgument(), .string(String(window.capacity(for: priority))), .string(Self.number(Self.millis(window.span))),
            .string(Self.number(Self.millis(window.inFlightExpiry))), .string(ticket),
        ])
        return try Self.wait(from: reply)
    }

    public func leave(_ window: ArrivalWindow, ticket: String) async throws {
        try await client.eval(Self.leaveScript, keys: [windowKey(window)], arguments: [
            nowArgument(), .string(Self.number(Self.millis(window.span))), .string(ticket),
        ])
    }

    private func windowKey(_ window: ArrivalWindow) -> RedisArgument {
        .joined(windowPrefix, window.key)
    }

    private func nowArgument() -> RedisArgument {
        guard let clock else { return "" }
        return .string(Self.number(clock.now().timeIntervalSince1970 * 1000))
    }

    /// The shortest decimal that reads back as `value` (Lua's `tonumber` takes the exponent form
    /// too); `String(format:)` cost more than the rest of a call's argument building.
    private static func number(_ value: Double) -> String {
        value.description
    }
}
