import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to Redis, on a NIO event loop: commands are written as they come, without
/// waiting for the replies before them (pipelining), and the replies, parsed by
/// `RedisReplyParser`, go back to their callers in order. hiredis opens the socket
/// (`RedisConnection+Open`); NIO then owns it, so a connection needs no thread of its own and its
/// replies are read where the event loop already waits for the webhook's and Telegram's sockets.
///
/// Once the stream fails (I/O error, timeout, unreadable or unasked-for reply) the replies may be
/// out of step: every command waiting fails and nothing more is written; the slot replaces it.
/// Every mutable field is touched only on `eventLoop`, hence `@unchecked Sendable`.
final class RedisConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let eventLoop: any EventLoop
    private let commandTimeout: TimeAmount
    /// The socket, owned by the channel. Only polled, to notice a server that closed it while idle.
    private let descriptor: CInt
    private var context: ChannelHandlerContext?
    private var parser = RedisReplyParser()
    private var waiters = CircularBuffer<RedisReplyWaiter>()
    /// One timer for all the waiters, due at the oldest one's deadline. It is not cancelled when
    /// the replies come (that would cost a timer per write); when it fires early it re-arms.
    private var watchdog: Scheduled<Void>?
    /// Why the stream failed; nil while it is healthy.
    private(set) var failure: RedisError?
    /// The server closed the connection while no command waited on it (a restart, its idle
    /// timeout): nothing was lost, so replacing it is routine.
    private(set) var closedWhileIdle = false

    init(eventLoop: any EventLoop, descriptor: CInt, commandTimeout: Duration) {
        self.eventLoop = eventLoop
        self.descriptor = descriptor
        self.commandTimeout = TimeAmount.nanoseconds(Int64(commandTimeout / .nanoseconds(1)))
    }

    /// Whether a command may go out on this connection now. An idle connection whose socket is
    /// readable was closed by the server (restart, idle timeout, kill) before the event loop saw
    /// it: checked before reuse, so that costs a reconnect instead of a failed command.
    var isUsable: Bool {
        eventLoop.assertInEventLoop()
        guard failure == nil, context != nil else { return false }
        guard waiters.isEmpty else { return true }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 0
    }

    /// Writes `commands` as one buffer; each continuation gets its command's reply, a top-level
    /// error reply thrown as `.server`.
    func send(_ commands: [RedisCommand], _ continuations: [CheckedContinuation<RedisValue, any Error>]) {
        eventLoop.assertInEventLoop()
        guard failure == nil, let context else {
            let error = failure ?? RedisError(.connectionLost, "connection not open")
            for continuation in continuations { continuation.resume(throwing: error) }
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: commands.reduce(0) { $0 + $1.bytes.count })
        for command in commands { buffer.writeBytes(command.bytes) }
        let deadline = NIODeadline.now() + commandTimeout
        for continuation in continuations {
            waiters.append(RedisReplyWaiter(continuation: continuation, deadline: deadline))
        }
        if watchdog == nil { armWatchdog(at: deadline) }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// One command on its own (the connection's AUTH and SELECT), from any thread.
    func run(_ command: RedisCommand) async throws(RedisError) -> RedisValue {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                eventLoop.execute { self.send([command], [continuation]) }
            }
        } catch {
            throw error as? RedisError ?? RedisError(.connectionLost, "\(error)")
        }
    }

    /// Fails what is waiting with `error` and closes the socket.
    func shutDown(_ error: RedisError) {
        eventLoop.assertInEventLoop()
        fail(error)
        context?.close(promise: nil)
    }

    // MARK: replies and failures

    private func fail(_ error: RedisError) {
        if failure == nil { failure = error }
        watchdog?.cancel()
        watchdog = nil
        let reason = failure ?? error
        while let waiter = waiters.popFirst() { waiter.continuation.resume(throwing: reason) }
    }

    private func armWatchdog(at deadline: NIODeadline) {
        watchdog = eventLoop.scheduleTask(deadline: deadline) { self.watch() }
    }

    /// The oldest command past its deadline fails the connection: its reply and every one behind
    /// it can no longer be matched to a caller who still waits.
    private func watch() {
        watchdog = nil
        guard failure == nil, let oldest = waiters.first else { return }
        guard oldest.deadline <= .now() else { return armWatchdog(at: oldest.deadline) }
        shutDown(RedisError(.timeout, "no reply within the command timeout"))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(RedisError(.connectionLost, "the connection was closed"))
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        if failure == nil && waiters.isEmpty { closedWhileIdle = true }
        fail(RedisError(.connectionLost, "the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let message = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "connection error"
        shutDown(RedisError(.connectionLost, message))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        unwrapInboundIn(data).withUnsafeReadableBytes { parser.append($0) }
        do throws(RedisError) {
            while let value = try parser.next() {
                guard let waiter = waiters.popFirst() else { throw Self.unasked }
                if case .error(let message) = value {
                    waiter.continuation.resume(throwing: RedisError(.server, message))
                } else {
                    waiter.continuation.resume(returning: value)
                }
            }
            if waiters.isEmpty && parser.hasUnreadBytes { throw Self.unasked }
        } catch {
            shutDown(error)
        }
    }

    private static let unasked = RedisError(.protocolError, "a reply no command asked for")
}
