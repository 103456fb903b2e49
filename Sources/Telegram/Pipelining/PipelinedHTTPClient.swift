import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 client for one origin, built for the send loop's `sendMessage` calls: up to
/// `connections` keep-alive connections (plain or TLS), each carrying many requests at once
/// (pipelining) with the answers matched to the requests in order.
///
/// Why not AsyncHTTPClient for this path: it spends over 100 µs of CPU per request here (its
/// pool and request state machines, NIOHTTP1's parser, one request per connection at a time),
/// about a third of the whole per-message budget of a 10,000 msg/s send loop. This client
/// writes each request as one buffer, reads answers with `HTTPResponseParser`, and lets
/// requests that leave together share a system call.
///
/// Failures surface as `PipelinedHTTPError`, which names no URL: the bot token in the request
/// path stays out of every error and log.
package final class PipelinedHTTPClient: Sendable {
    package let configuration: Configuration
    private let group: any EventLoopGroup
    /// The group's loops, to find the one a caller runs on.
    private let loops: [any EventLoop]
    private let sslContext: NIOSSLContext?
    private let connections = Mutex<[PipelinedHTTPConnection]>([])
    /// `Host: …\r\n`, written into every request.
    private let hostLine: String

    package init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.configuration = configuration
        self.group = group
        self.loops = Array(group.makeIterator())
        self.sslContext = configuration.useTLS ? try NIOSSLContext(configuration: configuration.tls) : nil
        self.hostLine = "Host: \(configuration.hostHeader)\r\n"
    }

    deinit {
        for connection in connections.withLock({ $0 }) { connection.close() }
    }

    /// POSTs `body` to `path` (appended to the configured base path) and returns the answer,
    /// whatever its status. `headers` are written as given after the framing ones. Throws
    /// `PipelinedHTTPError` or `CancellationError`.
    package func post(path: String, contentType: String, headers: KeyValuePairs<String, String> = [:], body: ByteBuffer,
                      timeout: Duration) async throws -> PipelinedHTTPResponse {
        let request = encodeRequest(path: path, contentType: contentType, headers: headers, body: body)
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        var resends = 0
        while true {
            do {
                return try await send(request, deadline: deadline)
            } catch let error as PipelinedHTTPError where error == .notSent && resends < 3 {
                // The server never processed it (its connection was closing): another connection may.
                resends += 1
            }
        }
    }

    /// Closes every connection; requests in flight fail with `.connectionLost`.
    package func shutdown() {
        for connection in connections.withLock({ list in defer { list = [] }; return list }) { connection.close() }
    }

    private func send(_ request: ByteBuffer, deadline: NIODeadline) async throws -> PipelinedHTTPResponse {
        if Task.isCancelled { throw CancellationError() }
        let connection = checkout()
        let promise = connection.eventLoop.makePromise(of: PipelinedHTTPResponse.self)
        let future = promise.futureResult
        return try await withTaskCancellationHandler {
            connection.eventLoop.execute { connection.enqueue(request, deadline: deadline, promise: promise) }
            return try await future.get()
        } onCancel: {
            connection.eventLoop.execute { connection.cancel(future) }
        }
    }

    /// The least-loaded open connection, or a new one while every open one is busy and the
    /// limit allows; its load already counts the caller's request. A caller running on one of the
    /// group's event loops looks at that loop's connections first, and a new one is opened there:
    /// its request is written, and its answer read and handed back, on the caller's own thread
    /// (the chat front's updates run on their webhook connection's loop).
    private func checkout() -> PipelinedHTTPConnection {
        let here = loops.first { $0.inEventLoop }
        return connections.withLock { list in
            list.removeAll { !$0.isAccepting.load(ordering: .relaxed) }
            var best = Self.leastLoaded(list) { here == nil || $0.eventLoop === here }
            if best == nil, list.count >= configuration.connections {
                best = Self.leastLoaded(list) { _ in true }
            }
            if best == nil || (best!.load > 0 && list.count < configuration.connections) {
                let connection = connect(on: here ?? group.next())
                list.append(connection)
                best = (connection, 0)
            }
            best!.connection.load.add(1, ordering: .relaxed)
            return best!.connection
        }
    }

    private static func leastLoaded(_ list: [PipelinedHTTPConnection], where included: (PipelinedHTTPConnection) -> Bool)
        -> (connection: PipelinedHTTPConnection, load: Int)? {
        var best: (connection: PipelinedHTTPConnection, load: Int)?
        for connection in list where included(connection) {
            let load = connection.load.load(ordering: .relaxed)
            if load < best?.load ?? .max { best = (connection, load) }
        }
        return best
    }

    private func connect(on eventLoop: any EventLoop) -> PipelinedHTTPConnection {
        let connection = PipelinedHTTPConnection(eventLoop: eventLoop, maxBodyBytes: configuration.maxResponseBytes,
                                                 idleTimeout: TimeAmount(configuration.idleTimeout))
        let sslContext = sslContext
        let serverName = configuration.serverName
        ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(connection)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .whenFailure { error in
                var timedOut = false
                if case ChannelError.connectTimeout = error { timedOut = true }
                connection.connectFailed(timedOut: timedOut)
            }
        return connection
    }

    /// The whole request in one buffer: request line, `Host`, `Content-Type`, `Content-Length`,
    /// `headers`, body.
    package func encodeRequest(path: String, contentType: String, headers: KeyValuePairs<String, String>,
                               body: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(configuration.basePath.utf8.count + path.utf8.count + hostLine.utf8.count
                               + contentType.utf8.count + body.readableBytes + 80)
        buffer.writeStaticString("POST ")
        buffer.writeString(configuration.basePath)
        buffer.writeString(path)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        buffer.writeString(hostLine)
        buffer.writeStaticString("Content-Type: ")
        buffer.writeString(contentType)
        buffer.writeStaticString("\r\nContent-Length: ")
        buffer.writeString(String(body.readableBytes))
        for (name, value) in headers {
            buffer.writeStaticString("\r\n")
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
        }
        buffer.writeStaticString("\r\n\r\n")
        var body = body
        buffer.writeBuffer(&body)
        return buffer
    }
}
