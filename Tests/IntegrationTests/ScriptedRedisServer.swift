import NIOCore
import NIOPosix
import Synchronization

/// A loopback TCP server that misbehaves on purpose, as a real Redis never does: each time a
/// connection receives bytes, `answer` (given the connection's number, from 0) says what goes back.
/// For the client's handling of broken streams, which a real server cannot be made to produce.
final class ScriptedRedisServer: Sendable {
    /// What a connection does with a request.
    enum Answer: Sendable {
        /// Writes these bytes.
        case reply(String)
        /// Writes these bytes, then closes the connection.
        case replyAndClose(String)
        /// Writes nothing.
        case silence
    }

    let port: Int
    private let channel: any Channel
    private let counter: CounterBox

    /// Connections accepted so far.
    var connections: Int { counter.value.load(ordering: .relaxed) }

    init(answer: @escaping @Sendable (_ connection: Int, _ request: String) -> Answer) async throws {
        let counter = CounterBox()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let number = counter.next()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Connection(number: number, answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
        self.counter = counter
    }

    func stop() async throws {
        try await channel.close()
    }

    private final class CounterBox: Sendable {
        let value = Atomic<Int>(0)
        func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
    }

    private final class Connection: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let number: Int
        let answer: @Sendable (Int, String) -> Answer

        init(number: Int, answer: @escaping @Sendable (Int, String) -> Answer) {
            self.number = number
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let request = String(buffer: unwrapInboundIn(data))
            switch answer(number, request) {
            case .reply(let text):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            case .replyAndClose(let text):
                // The write goes out at once (a few bytes on loopback), ahead of the close. Output is
                // shut down first: NIO accepts without close-on-exec, so a process the tests spawn at
                // that moment holds the socket open and a plain close would send no FIN until it exits.
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
                context.close(mode: .output, promise: nil)
                context.close(promise: nil)
            case .silence:
                break
            }
        }
    }
}
