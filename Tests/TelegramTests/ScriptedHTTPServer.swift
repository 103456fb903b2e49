import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTP/1.1 server whose answers a test writes byte for byte, to drive the
/// pipelined client through what a real server (or a broken one) may do: answer a batch of
/// pipelined requests at once, in small pieces, close mid-request, hang, say `Connection: close`.
final class ScriptedHTTPServer: Sendable {
    /// One request as the server read it.
    struct Received: Sendable, Equatable {
        var connection: Int
        /// 0 for the connection's first request.
        var index: Int
        var path: String
        var body: String
        /// The head's lines after the request line, as sent.
        var headerLines: [String] = []
    }

    /// What to do about a request.
    enum Answer: Sendable {
        /// Write these bytes (a whole HTTP response, or several).
        case bytes(String)
        /// Close the connection without answering.
        case close
        /// Never answer.
        case hang
    }

    /// Every request read, shared by the server's connections.
    private final class Log: Sendable {
        let entries = Mutex<[Received]>([])
    }

    let port: Int
    private let channel: any Channel
    private let log: Log

    var received: [Received] { log.entries.withLock { $0 } }
    var connections: Int { Set(received.map(\.connection)).count }

    /// - Parameters:
    ///   - batch: answers wait until this many requests arrived on the connection, then leave
    ///     together (after `delay`), cut into `pieceSize`-byte writes (a pipelining client's
    ///     parser must cope).
    ///   - answer: the answer to each request.
    ///   - tls: serve HTTPS with this context.
    static func start(batch: Int = 1, delay: TimeAmount = .zero, pieceSize: Int = .max, tls: NIOSSLContext? = nil,
                      answer: @escaping @Sendable (Received) -> Answer) async throws -> ScriptedHTTPServer {
        let log = Log()
        let connectionIDs = Mutex(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let id = connectionIDs.withLock { $0 += 1; return $0 }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(
                        Connection(id: id, batch: batch, delay: delay, pieceSize: pieceSize, log: log, answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedHTTPServer(channel: channel, port: channel.localAddress!.port!, log: log)
    }

    private init(channel: any Channel, port: Int, log: Log) {
        self.channel = channel
        self.port = port
        self.log = log
    }

    func stop() async {
        try? await channel.close()
    }

    /// A `200` (or `status`) answer with `body` and a `Content-Length`, plus `extraHeaders`.
    static func response(_ body: String, status: Int = 200, extraHeaders: String = "") -> String {
        "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\n\(extraHeaders)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// The same answer in chunked transfer coding, one chunk per `chunkSize` bytes.
    static func chunkedResponse(_ body: String, status: Int = 200, chunkSize: Int = 3) -> String {
        var out = "HTTP/1.1 \(status) X\r\nTransfer-Encoding: chunked\r\n\r\n"
        var rest = Substring(body)
        while !rest.isEmpty {
            let chunk = rest.prefix(chunkSize)
            out += String(chunk.utf8.count, radix: 16) + ";ext=1\r\n" + chunk + "\r\n"
            rest = rest.dropFirst(chunk.count)
        }
        return out + "0\r\nX-Trailer: 1\r\n\r\n"
    }

    private final class Connection: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let id: Int
        let batch: Int
        let delay: TimeAmount
        let pieceSize: Int
        let log: Log
        let answer: @Sendable (Received) -> Answer
        var buffer = ByteBuffer()
        var waiting: [Answer] = []
        var count = 0

        init(id: Int, batch: Int, delay: TimeAmount, pieceSize: Int, log: Log, answer: @escaping @Sendable (Received) -> Answer) {
            self.id = id
            self.batch = batch
            self.delay = delay
            self.pieceSize = pieceSize
            self.log = log
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            buffer.writeBuffer(&bytes)
            while let request = nextRequest() {
                log.entries.withLock { $0.append(request) }
                waiting.append(answer(request))
                guard waiting.count >= batch else { continue }
                if delay == .zero {
                    flushAnswers(context)
                } else {
                    context.eventLoop.assumeIsolated().scheduleTask(in: delay) { self.flushAnswers(context) }
                }
            }
        }

        private func flushAnswers(_ context: ChannelHandlerContext) {
            var out = ""
            for answer in waiting {
                switch answer {
                case .bytes(let text): out += text
                case .close:
                    write(out, context)
                    context.close(promise: nil)
                    waiting = []
                    return
                case .hang:
                    write(out, context)
                    waiting = []
                    return
                }
            }
            waiting = []
            write(out, context)
        }

        private func write(_ text: String, _ context: ChannelHandlerContext) {
            var rest = Substring(text).utf8
            while !rest.isEmpty {
                let piece = rest.prefix(pieceSize)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: Array(piece))), promise: nil)
                rest = rest.dropFirst(piece.count)
            }
        }

        /// One request with a `Content-Length` body, or nil until it is complete.
        private func nextRequest() -> Received? {
            let text = String(buffer: buffer)
            guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
            let head = text[..<headEnd.lowerBound]
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let headBytes = text[..<headEnd.upperBound].utf8.count
            guard buffer.readableBytes >= headBytes + length else { return nil }
            let path = String(head.split(separator: " ")[1])
            buffer.moveReaderIndex(forwardBy: headBytes)
            let body = buffer.readString(length: length)!
            buffer.discardReadBytes()
            defer { count += 1 }
            return Received(connection: id, index: count, path: path, body: body,
                            headerLines: head.split(separator: "\r\n").dropFirst().map(String.init))
        }
    }
}
