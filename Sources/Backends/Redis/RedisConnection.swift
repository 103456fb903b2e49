import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ignore SIGPIPE once per process: commands go out with plain `write()`, and a write to a
/// socket the server has reset would otherwise kill the whole process instead of failing
/// one command with EPIPE.
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

/// One blocking connection: hiredis opens it (connect timeout, command timeout on the socket,
/// keep-alive), then commands are written and replies read on its socket directly, encoded by
/// `RedisCommand` and parsed by `RedisReplyParser`. Owns its `redisContext*`, freed in `deinit`.
/// Not thread-safe and not Sendable; `RedisConnectionSlot` confines each to one serial queue,
/// so blocking calls never run on Swift's cooperative pool.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    private var replies = RedisReplyParser()
    /// Where `read` puts what the socket has; one per connection, reused.
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)

    /// Set once a command failed at the I/O or protocol level: the reply stream may be out of
    /// step, so the connection must not be used again.
    private(set) var isBroken = false

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        readBuffer.deallocate()
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
            var arguments: [RedisArgument] = ["AUTH"]
            if let username = configuration.username { arguments.append(.string(username)) }
            arguments.append(.string(password))
            do {
                _ = try connection.command(RedisCommand(arguments))
            } catch {
                // The server's message (WRONGPASS …) never contains the password itself.
                throw RedisError(.connectionFailed, "authentication failed: \(error.message)")
            }
        }
        if configuration.database != 0 {
            do {
                _ = try connection.command(RedisCommand(["SELECT", .int(configuration.database)]))
            } catch {
                throw RedisError(.connectionFailed, "SELECT \(configuration.database) failed: \(error.message)")
            }
        }
        return connection
    }

    /// Sends one command and waits for its reply, at most the command timeout per read. A
    /// top-level error reply is thrown as `.server`.
    func command(_ command: RedisCommand) throws(RedisError) -> RedisValue {
        try pipeline([command])[0].get()
    }

    /// Sends every command in one write, then reads their replies in order: one round trip
    /// (and one wake-up of the connection's thread) for all of them instead of one each. Each
    /// command gets its own result, as `command` would give it; once the connection fails,
    /// that command and every later one get the I/O error (whether the server ran them is
    /// unknown, as for a single command that loses its connection).
    func pipeline(_ commands: [RedisCommand]) -> [Result<RedisValue, RedisError>] {
        guard !isBroken else { return commands.map { _ in .failure(RedisError(.connectionLost, "connection already broken")) } }
        var results: [Result<RedisValue, RedisError>] = []
        results.reserveCapacity(commands.count)
        do throws(RedisError) {
            if commands.count == 1 {
                try send(commands[0].bytes)
            } else {
                var joined: [UInt8] = []
                joined.reserveCapacity(commands.reduce(0) { $0 + $1.bytes.count })
                for command in commands { joined += command.bytes }
                try send(joined)
            }
        } catch {
            isBroken = true
            return commands.map { _ in .failure(error) }
        }
        var failure: RedisError?
        for _ in commands {
            if let failure {
                results.append(.failure(failure))
                continue
            }
            do throws(RedisError) {
                let value = try nextReply()
                if case .error(let message) = value {
                    results.append(.failure(RedisError(.server, message)))
                } else {
                    results.append(.success(value))
                }
            } catch {
                isBroken = true
                failure = error
                results.append(.failure(error))
            }
        }
        return results
    }

    /// Writes all of `bytes` (the socket blocks, at most the command timeout per write).
    private func send(_ bytes: [UInt8]) throws(RedisError) {
        let descriptor = context.pointee.fd
        let result = bytes.withUnsafeBytes { buffer -> RedisError? in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written == 0 {
                    return RedisError(.connectionLost, "the connection accepts no more data")
                } else if errno != EINTR {
                    return Self.ioError(errno, sending: true)
                }
            }
            return nil
        }
        if let result { throw result }
    }

    /// The next reply, reading from the socket until one is complete.
    private func nextReply() throws(RedisError) -> RedisValue {
        while true {
            if let value = try replies.next() { return value }
            let count = read(context.pointee.fd, readBuffer.baseAddress, readBuffer.count)
            if count > 0 {
                replies.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            } else if count == 0 {
                throw RedisError(.connectionLost, "the server closed the connection")
            } else if errno != EINTR {
                throw Self.ioError(errno, sending: false)
            }
        }
    }

    /// A failed `read` or `write` as the error callers branch on.
    private static func ioError(_ code: Int32, sending: Bool) -> RedisError {
        if code == EAGAIN || code == EWOULDBLOCK {
            return RedisError(.timeout, sending ? "command not sent within the command timeout" : "no reply within the command timeout")
        }
        return RedisError(.connectionLost, String(cString: strerror(code)))
    }

    /// True when the server closed this idle connection (restart, idle timeout, kill):
    /// its socket is readable although no reply is due. Checked before reuse, so a
    /// restart costs a reconnect instead of a failed command. Bytes left over from the last
    /// replies mean the stream is out of step: broken too.
    var isClosedByPeer: Bool {
        guard !isBroken, !replies.hasUnreadBytes else { return true }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready != 0
    }

    /// hiredis' error text after a failed connect.
    private var contextError: String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
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
