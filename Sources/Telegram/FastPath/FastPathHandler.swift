import NIOCore
import NIOHTTP1

/// Answers some requests on the event loop, ahead of an HTTP server's own request handling
/// (Hummingbird's per-request bridging: the async channel hand-off, a task hop each way,
/// request and response objects). Its `Exchange` decides which requests and what answer; the
/// rest goes on to the next handler untouched.
///
/// It reads NIO's own HTTP/1 parts, in front of the codec that turns them into HTTPTypes for
/// Hummingbird (`FastPathHTTP1Channel`): that conversion parsed every request's URI with
/// Foundation and copied its headers, ~2 % of a webhook load test's CPU, for requests the codec
/// never needed to see.
///
/// Answers leave in request order (HTTP/1.1 pipelining): while a request handed on is
/// unanswered, later ones go the same way, and while an answer here is pending, later parts
/// wait. A shutdown's quiesce event that arrives while a request is open here waits for its
/// answer, so the server closes the connection only after writing it.
///
/// Used by the chat front's webhook (`WebhookFastPath`) and the simulator's `sendMessage`.
public final class FastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias InboundOut = HTTPServerRequestPart
    public typealias OutboundIn = HTTPServerResponsePart
    public typealias OutboundOut = HTTPServerResponsePart

    private let exchange: any FastPathExchange
    /// Requests handed on whose answers have not been written yet.
    private var forwarded = 0
    /// A request is being read for the exchange.
    private var reading = false
    /// An answer here is pending: parts read meanwhile wait in `held`, in order.
    private var answering = false
    private var held: [HTTPServerRequestPart] = []
    private var heldQuiesce: Any?
    private var needsFlush = false
    /// Set once the channel is gone: a pending answer then has nowhere to go.
    private var removed = false

    public init(_ exchange: any FastPathExchange) {
        self.exchange = exchange
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
        if reading {
            reading = false
            exchange.abandon()
        }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answering {
            held.append(part)
        } else {
            read(part, context: context)
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, answering || reading {
            heldQuiesce = event
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Only the next handler's writes pass here (this handler's own go past it).
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwarded -= 1 }
        context.write(data, promise: promise)
    }

    private func read(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let request):
            guard forwarded == 0, exchange.begin(request) else { return forward([part], context: context) }
            reading = true
        case .body(let bytes):
            // Not taken here: part of a request handed on.
            guard reading else { return context.fireChannelRead(wrapInboundOut(part)) }
            if let parts = exchange.receive(bytes) {
                reading = false
                forward(parts, context: context)
            }
        case .end:
            guard reading else { return context.fireChannelRead(wrapInboundOut(part)) }
            reading = false
            take(exchange.end(on: context.eventLoop), context: context)
        }
    }

    private func take(_ step: FastPathStep, context: ChannelHandlerContext) {
        switch step {
        case .answer(let answer):
            write(answer, context: context)
            forwardHeldQuiesce(context)
        case .later(let future):
            answering = true
            future.assumeIsolated().whenComplete { result in
                guard !self.removed else { return }
                switch result {
                case .success(let answer):
                    self.write(answer, context: context)
                    self.release(context: context)
                case .failure:
                    context.close(promise: nil)
                }
            }
        case .forward(let parts):
            forward(parts, context: context)
        }
    }

    /// Hands parts (a head first) to the next handler; the answer is counted back in `write`.
    private func forward(_ parts: [HTTPServerRequestPart], context: ChannelHandlerContext) {
        forwarded += 1
        for part in parts {
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    /// Replays the parts read while an answer was pending, then a held quiesce event.
    private func release(context: ChannelHandlerContext) {
        answering = false
        flushIfNeeded(context)
        while !held.isEmpty && !answering {
            read(held.removeFirst(), context: context)
        }
        flushIfNeeded(context)
        context.fireChannelReadComplete()
        forwardHeldQuiesce(context)
    }

    /// Passes on a held quiesce event once no request is open here.
    private func forwardHeldQuiesce(_ context: ChannelHandlerContext) {
        guard !answering, !reading, let event = heldQuiesce else { return }
        heldQuiesce = nil
        flushIfNeeded(context)
        context.fireUserInboundEventTriggered(event)
    }

    private func write(_ answer: FastPathAnswer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
        if let body = answer.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        needsFlush = true
    }

    /// Answers written during one read leave in one system call.
    private func flushIfNeeded(_ context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }
}
