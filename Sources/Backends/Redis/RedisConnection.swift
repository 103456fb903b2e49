import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ignore SIGPIPE once per process: hiredis writes with plain `write()`, and a write to a
/// socket the server has reset would otherwise kill the whole process instead of failing
/// one command with EPIPE.
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

/// One blocking hiredis connection: owns its `redisContext*`, freed in `deinit`. Not
/// thread-safe and not Sendable; `RedisConnectionSlot` confines each to one serial queue,
/// so blocking calls never run on Swift's cooperative pool.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>

    /// Set once a command failed at the I/O level: the reply stream may be out of step, so
    /// the connection must not be used again.
    private(set) var isBroken = false

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Connects with the connect timeout, sets the command timeout on the socket, then
    /// authenticates and selects the database.
    static func connect(_ configuration: RedisConfiguration) throws(RedisError) -> RedisConnection {
        _ = ignoreSIGPIPE
        guard let raw = redisConnectWithTimeout(configuration.host, Int32(configuration.port),
                                                timeval(configuration.connectTimeout)) else {
            throw RedisError(.connectionFailed, "cannot allocate a Redis context")
        }
        let connection = RedisConnection(context: raw)
        if raw.pointee.err != 0 {
            throw RedisError(.connectionFailed, "connect to \(configuration.host):\(configuration.port) failed: \(connection.contextError)")
        }
        guard redisSetTimeout(raw, timeval(configuration.commandTimeout)) == REDIS_OK else {
            throw RedisError(.connectionFailed, "cannot set the command timeout: \(connection.contextError)")
        }
        _ = redisEnableKeepAlive(raw)
        if let password = configuration.password {
            var args: [[UInt8]] = [Array("AUTH".utf8)]
            if let username = configuration.username { args.append(Array(username.utf8)) }
            args.append(Array(password.utf8))
            do {
                _ = try connection.command(args)
            } catch {
                // The server's message (WRONGPASS …) never contains the password itself.
                throw RedisError(.connectionFailed, "authentication failed: \(error.message)")
            }
        }
        if configuration.database != 0 {
            do {
                _ = try connection.command([Array("SELECT".utf8), Array(String(configuration.database).utf8)])
            } catch {
                throw RedisError(.connectionFailed, "SELECT \(configuration.database) failed: \(error.message)")
            }
        }
        return connection
    }

    /// Sends one command (each argument length-prefixed, so binary-safe) and waits for its
    /// reply, at most the command timeout. A top-level error reply is thrown as `.server`.
    func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisValue {
        guard !isBroken else { throw RedisError(.connectionLost, "connection already broken") }
        guard !arguments.isEmpty else { throw RedisError(.protocolError, "empty command") }
        let reply = withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let reply else {
            isBroken = true
            throw ioError()
        }
        return try Self.value(of: reply)
    }

    /// Sends every command in one write, then reads their replies in order: one round trip
    /// (and one wake-up of the connection's thread) for all of them instead of one each. Each
    /// command gets its own result, as `command` would give it; once the connection fails,
    /// that command and every later one get the I/O error (whether the server ran them is
    /// unknown, as for a single command that loses its connection).
    func pipeline(_ commands: [[[UInt8]]]) -> [Result<RedisValue, RedisError>] {
        if commands.count == 1 {
            return [Result { () throws(RedisError) -> RedisValue in try command(commands[0]) }]
        }
        guard !isBroken else { return commands.map { _ in .failure(RedisError(.connectionLost, "connection already broken")) } }
        var results: [Result<RedisValue, RedisError>?] = Array(repeating: nil, count: commands.count)
        var sent: [Int] = []
        sent.reserveCapacity(commands.count)
        for (index, arguments) in commands.enumerated() {
            guard !arguments.isEmpty else {
                results[index] = .failure(RedisError(.protocolError, "empty command"))
                continue
            }
            let status = withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else {
                // Only an allocation failure: nothing was written yet for this command.
                results[index] = .failure(RedisError(.protocolError, "cannot buffer the command"))
                continue
            }
            sent.append(index)
        }
        var failure: RedisError?
        for index in sent {
            if let failure {
                results[index] = .failure(failure)
                continue
            }
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let reply = raw else {
                isBroken = true
                failure = ioError()
                results[index] = .failure(failure!)
                continue
            }
            results[index] = Result { () throws(RedisError) -> RedisValue in try Self.value(of: reply) }
        }
        return results.map { $0! }
    }

    /// Converts and frees one reply; a top-level error reply is thrown as `.server`.
    private static func value(of reply: UnsafeMutableRawPointer) throws(RedisError) -> RedisValue {
        defer { freeReplyObject(reply) }
        let value = try RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = value {
            throw RedisError(.server, message)
        }
        return value
    }

    /// True when the server closed this idle connection (restart, idle timeout, kill):
    /// its socket is readable although no reply is due. Checked before reuse, so a
    /// restart costs a reconnect instead of a failed command.
    var isClosedByPeer: Bool {
        guard !isBroken else { return true }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready != 0
    }

    /// hiredis' error, or the reason behind a NULL reply.
    private func ioError() -> RedisError {
        let code = context.pointee.err
        let text = contextError
        if code == REDIS_ERR_IO && (text.contains("temporarily unavailable") || text.contains("timed out")) {
            return RedisError(.timeout, "no reply within the command timeout")
        }
        if code == REDIS_ERR_PROTOCOL {
            return RedisError(.protocolError, text)
        }
        return RedisError(.connectionLost, text.isEmpty ? "connection lost" : text)
    }

    private var contextError: String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// Calls `body` with C `argc`/`argv`/`argvlen` views of `arguments`, valid only inside.
private func withArgv<R>(
    _ arguments: [[UInt8]],
    _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
) -> R {
    // One contiguous buffer for all arguments keeps every pointer alive for the call.
    // Spelled out with its type: `arguments.flatMap { $0 } + [0]` infers `[Any]`.
    var joined: [UInt8] = []
    joined.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
    for argument in arguments { joined += argument }
    joined.append(0)
    let lengths = arguments.map { $0.count }  // a closure, not `\.count`: the key path was projected at run time, per argument
    return joined.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            for length in lengths {
                pointers.append(chars.baseAddress! + offset)
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lens in
                    body(Int32(arguments.count), argv.baseAddress!, lens.baseAddress!)
                }
            }
        }
    }
}

private extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var micros = attoseconds / 1_000_000_000_000
        if micros == 0 && seconds == 0 { micros = 1 }
        self.init(tv_sec: Int(seconds), tv_usec: Int(micros))
    }
}
