public import Logging
import NIOPosix

/// The entry point to Redis: a pool of connections (opened by hiredis, then read and written on
/// NIO's shared event loops), each pipelining the commands that wait for it, behind `async`
/// methods. Connections are made on first use and remade (with backoff) when they break, so a
/// Redis restart costs the commands in flight, not the client. Safe to share between tasks.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    let pool: RedisConnectionPool

    /// Validates the configuration; connects lazily.
    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "newsbot.redis")) throws(RedisError) {
        try configuration.validate()
        self.configuration = configuration
        self.pool = RedisConnectionPool(configuration: configuration,
                                        loops: Array(MultiThreadedEventLoopGroup.singleton.makeIterator()), logger: logger)
    }

    /// A client for `redis://[user:password@]host[:port][/db]` with default timeouts.
    public convenience init(url: String, logger: Logger = Logger(label: "newsbot.redis")) throws(RedisError) {
        try self.init(configuration: RedisConfiguration(url: url), logger: logger)
    }

    deinit {
        pool.close()
    }

    /// Closes every connection; commands still waiting for a reply and later ones throw
    /// `.clientClosed`.
    public func close() {
        pool.close()
    }

    // MARK: commands

    /// Runs one command, pipelined with the other commands of the moment on its connection.
    /// Throws `RedisError` (`.server` for an error reply, `.protocolError` for no arguments:
    /// Redis answers nothing to an empty command, which would put the replies out of step).
    @discardableResult
    public func command(_ arguments: [RedisArgument]) async throws -> RedisValue {
        guard !arguments.isEmpty else { throw RedisError(.protocolError, "empty command") }
        return try await pool.run(RedisCommand(arguments))
    }

    @discardableResult
    public func command(_ arguments: RedisArgument...) async throws -> RedisValue {
        try await command(arguments)
    }

    /// `PING`, for readiness checks.
    public func ping() async throws {
        let reply = try await command("PING")
        guard reply == .status("PONG") else { throw RedisError(.protocolError, "unexpected PING reply") }
    }

    /// `GET`: the value's bytes, nil when the key does not exist.
    public func get(_ key: String) async throws -> [UInt8]? {
        let reply = try await command("GET", .string(key))
        switch reply {
        case .null: return nil
        case .bulkString(let bytes): return bytes
        default: throw RedisError(.protocolError, "unexpected GET reply")
        }
    }

    /// `GET` decoded as UTF-8.
    public func getString(_ key: String) async throws -> String? {
        try await get(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `SET key value [PX ttl] [NX]`. Returns false only when `onlyIfAbsent` and the key
    /// already existed (nothing was written).
    @discardableResult
    public func set(_ key: String, _ value: [UInt8], expiry: Duration? = nil, onlyIfAbsent: Bool = false) async throws -> Bool {
        var arguments: [RedisArgument] = ["SET", .string(key), .bytes(value)]
        if let expiry { arguments += ["PX", .milliseconds(expiry)] }
        if onlyIfAbsent { arguments.append("NX") }
        switch try await command(arguments) {
        case .status("OK"): return true
        case .null: return false
        default: throw RedisError(.protocolError, "unexpected SET reply")
        }
    }

    @discardableResult
    public func set(_ key: String, _ value: String, expiry: Duration? = nil, onlyIfAbsent: Bool = false) async throws -> Bool {
        try await set(key, Array(value.utf8), expiry: expiry, onlyIfAbsent: onlyIfAbsent)
    }

    /// `DEL`: how many of the keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        let reply = try await command(["DEL"] + keys.map(RedisArgument.string))
        guard let count = reply.int else { throw RedisError(.protocolError, "unexpected DEL reply") }
        return count
    }

    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await del(keys)
    }

    /// `PTTL`: the remaining time to live; nil when the key does not exist or has none.
    public func ttl(_ key: String) async throws -> Duration? {
        let reply = try await command("PTTL", .string(key))
        guard let millis = reply.int else { throw RedisError(.protocolError, "unexpected PTTL reply") }
        return millis >= 0 ? .milliseconds(millis) : nil
    }

    /// Runs a Lua script by digest (`EVALSHA`), loading it first when its digest is not known
    /// yet, and reloading it once when the server has not got it (NOSCRIPT).
    @discardableResult
    public func eval(_ script: RedisScript, keys: [RedisArgument] = [], arguments: [RedisArgument] = []) async throws -> RedisValue {
        let digest: String
        if let known = script.digest.value {
            digest = known
        } else {
            digest = try await load(script)
        }
        func evalsha(_ digest: String) -> RedisCommand {
            RedisCommand(["EVALSHA", .string(digest), .int(keys.count)], keys, arguments)
        }
        do {
            return try await pool.run(evalsha(digest))
        } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
            // The server lost its scripts (restart, SCRIPT FLUSH): load it again, once.
            return try await pool.run(evalsha(try await load(script)))
        }
    }

    /// `SCRIPT LOAD`, remembering the digest.
    @discardableResult
    public func load(_ script: RedisScript) async throws -> String {
        let reply = try await command("SCRIPT", "LOAD", .string(script.source))
        guard let digest = reply.string else { throw RedisError(.protocolError, "unexpected SCRIPT LOAD reply") }
        script.digest.value = digest
        return digest
    }
}
