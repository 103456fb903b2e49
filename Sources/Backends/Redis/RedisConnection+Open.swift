import CHiredis
import Dispatch
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RedisConnection {
    /// Opens a connection on `eventLoop`: hiredis connects (connect timeout, TCP keep-alive) on
    /// `connector`, because its connect blocks; the connected socket is handed to NIO;
    /// then AUTH and SELECT go out as the connection's first commands.
    static func open(_ configuration: RedisConfiguration, on eventLoop: any EventLoop,
                     connector: DispatchQueue) async throws(RedisError) -> RedisConnection {
        let descriptor = try await connectedSocket(configuration, on: connector)
        let connection = RedisConnection(eventLoop: eventLoop, descriptor: descriptor,
                                         commandTimeout: configuration.commandTimeout)
        do {
            _ = try await ClientBootstrap(group: eventLoop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(connection) }
                }
                .withConnectedSocket(descriptor)
                .get()
        } catch {
            throw RedisError(.connectionFailed, "cannot register the connection: \(error)")
        }
        do throws(RedisError) {
            try await connection.handshake(configuration)
        } catch {
            eventLoop.execute { connection.shutDown(error) }
            throw error
        }
        return connection
    }

    private func handshake(_ configuration: RedisConfiguration) async throws(RedisError) {
        if let password = configuration.password {
            var arguments: [RedisArgument] = ["AUTH"]
            if let username = configuration.username { arguments.append(.string(username)) }
            arguments.append(.string(password))
            do {
                _ = try await run(RedisCommand(arguments))
            } catch {
                // The server's message (WRONGPASS …) never contains the password itself.
                throw RedisError(.connectionFailed, "authentication failed: \(error.message)")
            }
        }
        if configuration.database != 0 {
            do {
                _ = try await run(RedisCommand(["SELECT", .int(configuration.database)]))
            } catch {
                throw RedisError(.connectionFailed, "SELECT \(configuration.database) failed: \(error.message)")
            }
        }
    }

    /// hiredis' blocking connect, on `connector`: the socket's descriptor, no longer hiredis'.
    private static func connectedSocket(_ configuration: RedisConfiguration,
                                        on connector: DispatchQueue) async throws(RedisError) -> CInt {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<CInt, RedisError>, Never>) in
            connector.async {
                continuation.resume(returning: Result { () throws(RedisError) in try blockingConnect(configuration) })
            }
        }
        return try result.get()
    }

    private static func blockingConnect(_ configuration: RedisConfiguration) throws(RedisError) -> CInt {
        guard let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port),
                                                    timeval(configuration.connectTimeout)) else {
            throw RedisError(.connectionFailed, "cannot allocate a Redis context")
        }
        if context.pointee.err != 0 {
            let message = withUnsafeBytes(of: context.pointee.errstr) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            redisFree(context)
            throw RedisError(.connectionFailed, "connect to \(configuration.host):\(configuration.port) failed: \(message)")
        }
        _ = redisEnableKeepAlive(context)
        let descriptor = redisFreeKeepFd(context)
        // hiredis opens it without close-on-exec: a process spawned later would hold the
        // connection open after the client closed it.
        _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
        return descriptor
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
