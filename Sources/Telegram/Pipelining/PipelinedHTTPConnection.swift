import NIOCore
import Synchronization

/// One keep-alive connection of a `PipelinedHTTPClient`: writes each request as it comes,
/// without waiting for the answers before it (HTTP/1.1 pipelining), and hands the answers
/// back in order.
///
/// Every mutable field is touched only on `eventLoop`; the pool reads `load` and
/// `isAccepting` from any thread, hence the atomics and `@unchecked Sendable`.
final class PipelinedHTTPConnection: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let eventLoop: any EventLoop
    /// Requests handed to this connection and not settled yet; the pool sends to the least loaded.
    let load = Atomic<Int>(0)
    /// False once the connection takes no new requests: closing, closed, or stalled behind a
    /// request that timed out (the requests already on it keep their own deadlines).
    let isAccepting = Atomic<Bool>(true)

    private enum State { case connecting, active, closed }

    private let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var state = State.connecting
    private var pending = CircularBuffer<PendingHTTPRequest>()
    /// Requests that arrived before the connection was up, in order.
    private var unwritten: [ByteBuffer] = []
    private var parser: HTTPResponseParser
    private var flushScheduled = false
    private var sweep: Scheduled<Void>?
    /// Since when no request has been pending (nil while busy), and the one timer that closes
    /// the connection once that has lasted `idleTimeout`. Neither timer is armed or cancelled per
    /// request: that cost ~1 % of a load test's CPU when connections went idle between requests.
    private var idleSince: NIODeadline?
    private var idleCheck: Scheduled<Void>?
    /// The server answered `Connection: close`: it processes nothing after that answer.
    private var serverClosing = false
    /// What the requests still pending fail with when the connection goes away.
    private var closeReason = PipelinedHTTPError.connectionLost

    /// How often pending requests are checked against their deadlines: one timer per
    /// connection instead of one per request.
    static let sweepInterval = TimeAmount.milliseconds(20)

    init(eventLoop: any EventLoop, maxBodyBytes: Int, idleTimeout: TimeAmount) {
        self.eventLoop = eventLoop
        self.idleTimeout = idleTimeout
        self.parser = HTTPResponseParser(maxBodyBytes: maxBodyBytes)
    }

    // MARK: requests (on the event loop)

    /// Writes `request` (a whole HTTP/1.1 request) and completes `promise` with its answer.
    func enqueue(_ request: ByteBuffer, deadline: NIODeadline, promise: EventLoopPromise<PipelinedHTTPResponse>) {
        eventLoop.assertInEventLoop()
        guard state != .closed, !serverClosing else {
            // Never written: safe to send elsewhere, unless no connection could be opened at all.
            if case .connectFailed = closeReason { settle(promise, .failure(closeReason)) } else { settle(promise, .failure(.notSent)) }
            return
        }
        pending.append(PendingHTTPRequest(promise: promise, deadline: deadline))
        idleSince = nil
        if sweep == nil { scheduleSweep() }
        if state == .active, let context {
            context.write(wrapOutboundOut(request), promise: nil)
            scheduleFlush()
        } else {
            unwritten.append(request)
        }
    }

    /// Gives up on the request whose answer `future` awaits (its caller was cancelled).
    func cancel(_ future: EventLoopFuture<PipelinedHTTPResponse>) {
        eventLoop.assertInEventLoop()
        guard let index = pending.firstIndex(where: { $0.promise?.futureResult === future }),
              let promise = pending[index].promise else { return }
        pending[index].promise = nil
        promise.fail(CancellationError())
        load.subtract(1, ordering: .relaxed)
    }

    /// Closes the connection; requests still waiting fail with `.connectionLost`.
    func close() {
        eventLoop.execute {
            if let context = self.context { context.close(promise: nil) } else { self.closed() }
        }
    }

    /// The connection could not be opened: every request on it fails.
    func connectFailed(timedOut: Bool) {
        eventLoop.execute {
            self.closeReason = .connectFailed(timedOut: timedOut)
            self.closed()
        }
    }

    private func settle(_ promise: EventLoopPromise<PipelinedHTTPResponse>, _ result: Result<PipelinedHTTPResponse, PipelinedHTTPError>) {
        load.subtract(1, ordering: .relaxed)
        switch result {
        case .success(let response): promise.succeed(response)
        case .failure(let error): promise.fail(error)
        }
    }

    /// Writes are flushed once per event-loop turn, so requests that arrive together leave in
    /// one `write` system call.
    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.execute {
            self.flushScheduled = false
            self.context?.flush()
        }
    }

    // MARK: deadlines and idling

    private func scheduleSweep() {
        sweep = eventLoop.scheduleTask(in: Self.sweepInterval) { self.expire() }
    }

    /// Fails every request past its deadline with `.timeout`. A timed-out request stays in
    /// line (its answer may still come and must be skipped), and the connection takes no more
    /// requests; once only given-up requests are left it closes.
    private func expire() {
        sweep = nil
        guard state != .closed else { return }
        let now = NIODeadline.now()
        for index in pending.indices {
            guard let promise = pending[index].promise, pending[index].deadline <= now else { continue }
            pending[index].promise = nil
            // Before the caller hears of it: its next request must not pick this connection.
            isAccepting.store(false, ordering: .relaxed)
            settle(promise, .failure(.timeout))
        }
        if !isAccepting.load(ordering: .relaxed) && pending.allSatisfy({ $0.promise == nil }) {
            context?.close(promise: nil)
            return
        }
        if !pending.isEmpty { scheduleSweep() }
    }

    /// The sweep stops by itself once nothing is pending; the idle timer is armed if none is.
    private func becameIdle() {
        if !isAccepting.load(ordering: .relaxed) {
            context?.close(promise: nil)
            return
        }
        let now = NIODeadline.now()
        idleSince = now
        if idleCheck == nil { scheduleIdleCheck(at: now + idleTimeout) }
    }

    private func scheduleIdleCheck(at deadline: NIODeadline) {
        idleCheck = eventLoop.scheduleTask(deadline: deadline) { self.checkIdle() }
    }

    /// Closes the connection if it has been idle for `idleTimeout`; else waits for the rest of
    /// that (a busy connection is checked again once it is idle).
    private func checkIdle() {
        idleCheck = nil
        guard state != .closed, let idleSince else { return }
        let due = idleSince + idleTimeout
        guard due <= .now() else { return scheduleIdleCheck(at: due) }
        isAccepting.store(false, ordering: .relaxed)
        context?.close(promise: nil)
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { becameActive(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closed()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        becameActive(context)
        context.fireChannelActive()
    }

    private func becameActive(_ context: ChannelHandlerContext) {
        guard state == .connecting else { return }
        state = .active
        for request in unwritten { context.write(wrapOutboundOut(request), promise: nil) }
        unwritten = []
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        parser.append(unwrapInboundIn(data))
        do {
            while let (response, closesConnection) = try parser.next() {
                guard let request = pending.popFirst() else {
                    // An answer nobody asked for: the stream is out of step.
                    throw PipelinedHTTPError.malformedResponse
                }
                if let promise = request.promise { settle(promise, .success(response)) }
                if closesConnection {
                    serverClosing = true
                    isAccepting.store(false, ordering: .relaxed)
                    context.close(promise: nil)
                    return
                }
            }
            if pending.isEmpty && !parser.hasPartialResponse { becameIdle() }
        } catch {
            closeReason = error as? PipelinedHTTPError ?? .malformedResponse
            context.close(promise: nil)
        }
    }

    /// Settles everything still pending: the answer that ran to the end of the stream, then
    /// `.notSent` for requests the server said it would not process, `closeReason` for the rest.
    private func closed() {
        guard state != .closed else { return }
        let wasConnecting = state == .connecting
        state = .closed
        isAccepting.store(false, ordering: .relaxed)
        sweep?.cancel()
        sweep = nil
        idleCheck?.cancel()
        idleCheck = nil
        if !serverClosing, !pending.isEmpty, let response = parser.finish() {
            let request = pending.removeFirst()
            if let promise = request.promise { settle(promise, .success(response)) }
        }
        let reason: PipelinedHTTPError = serverClosing ? .notSent
            : wasConnecting && closeReason == .connectionLost ? .connectFailed(timedOut: false) : closeReason
        while let request = pending.popFirst() {
            if let promise = request.promise { settle(promise, .failure(reason)) }
        }
        unwritten = []
    }
}
