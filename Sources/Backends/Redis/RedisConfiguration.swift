import NIOCore

/// Where and how to reach Redis. Built from a `redis://[user:password@]host[:port][/db]`
/// URL (what `REDIS_URL` holds) or field by field. `description` hides the password.
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// ACL user (Redis 6+); nil with a password means the `default` user (`AUTH password`).
    public var username: String?
    public var password: String?
    /// The logical database selected after connecting (`SELECT`), 0 by default.
    public var database: Int
    /// How long establishing one connection may take.
    public var connectTimeout: Duration
    /// How long one command may wait for its reply, from when it was written: a stopped or hung
    /// server cannot block a caller longer than this (the connection then fails every command
    /// waiting on it and is replaced).
    public var commandTimeout: Duration
    /// Connections kept, each pipelining the commands that wait for it, spread over the event
    /// loops of NIO's shared group. One per loop by default (`NIOSingletons.groupLoopCountSuggestion`,
    /// the cores): a command issued on a loop goes out on that loop's connection and its reply
    /// resumes the caller there, with no hand-off between threads (the chat front's updates run on
    /// the loop of their webhook connection), and few connections batch the most commands per
    /// write and read (one connection took ~14 % less Redis CPU per update than four). More
    /// isolate a slow command (a large value) from the others.
    public var poolSize: Int
    /// First reconnect delay after a failed connect; doubles per failure up to
    /// `reconnectMaxDelay`, with jitter, so a restarting server is not hammered.
    public var reconnectBaseDelay: Duration
    public var reconnectMaxDelay: Duration

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(5),
        poolSize: Int = NIOSingletons.groupLoopCountSuggestion,
        reconnectBaseDelay: Duration = .milliseconds(50),
        reconnectMaxDelay: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.poolSize = poolSize
        self.reconnectBaseDelay = reconnectBaseDelay
        self.reconnectMaxDelay = reconnectMaxDelay
    }

    /// Parses `redis://[user:password@]host[:port][/db]`; user and password may be
    /// percent-encoded, an IPv6 host goes in brackets. Errors never echo the URL.
    public init(url: String) throws(RedisError) {
        self.init()
        guard url.hasPrefix("redis://") else {
            if url.hasPrefix("rediss://") {
                throw RedisError(.invalidConfiguration, "TLS (rediss://) is not supported")
            }
            throw RedisError(.invalidConfiguration, "Redis URL must start with redis://")
        }
        var rest = Substring(url.dropFirst("redis://".count))
        if rest.contains("?") || rest.contains("#") {
            throw RedisError(.invalidConfiguration, "Redis URL must not have a query or fragment")
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user: Substring
            let pass: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                pass = userInfo[userInfo.index(after: colon)...]
            } else {
                // `redis://secret@host` is the common shorthand for a password only.
                user = ""
                pass = userInfo
            }
            let decodedUser = try Self.percentDecoded(user, what: "user name")
            username = decodedUser.isEmpty ? nil : decodedUser
            password = try pass.map { p throws(RedisError) in try Self.percentDecoded(p, what: "password") }
            if password?.isEmpty == true { password = nil }
        }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw RedisError(.invalidConfiguration, "unterminated IPv6 host in Redis URL")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw RedisError(.invalidConfiguration, "invalid host in Redis URL")
                }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            host = String(rest)
        }
        guard !host.isEmpty else { throw RedisError(.invalidConfiguration, "Redis URL has no host") }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw RedisError(.invalidConfiguration, "invalid port in Redis URL")
            }
            port = value
        }
        if !path.isEmpty {
            guard let value = Int(path), value >= 0 else {
                throw RedisError(.invalidConfiguration, "invalid database number in Redis URL")
            }
            database = value
        }
    }

    /// Checks the settings a URL cannot express; the client calls it before connecting.
    public func validate() throws(RedisError) {
        guard poolSize >= 1 else { throw RedisError(.invalidConfiguration, "poolSize must be at least 1") }
        guard connectTimeout > .zero, commandTimeout > .zero else {
            throw RedisError(.invalidConfiguration, "timeouts must be positive")
        }
        guard (1...65535).contains(port) else { throw RedisError(.invalidConfiguration, "invalid port") }
    }

    /// The delay before reconnect attempt `failures + 1`: exponential from
    /// `reconnectBaseDelay`, capped at `reconnectMaxDelay`, then scaled by `jitter` in
    /// 0.5…1 so that many clients restarting together spread out.
    public func reconnectDelay(afterFailures failures: Int, jitter: Double = 1) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let raw = reconnectBaseDelay * (1 << exponent)
        let capped = min(raw, reconnectMaxDelay)
        return capped * min(max(jitter, 0.5), 1)
    }

    public var description: String {
        var auth = ""
        if let username { auth = username }
        if password != nil { auth += ":***" }
        if !auth.isEmpty { auth += "@" }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "redis://\(auth)\(hostPart):\(port)/\(database)"
    }

    private static func percentDecoded(_ text: Substring, what: String) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw RedisError(.invalidConfiguration, "invalid percent-encoding in the Redis \(what)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw RedisError(.invalidConfiguration, "the Redis \(what) is not UTF-8")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
