import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Telegram

/// Answers `sendMessage` on the event loop, ahead of Hummingbird, when the body has the
/// layout `TelegramClient` writes for a message without a keyboard. The answer comes from
/// the same code as the general path (`plainSendMessage`, `SimulatorCore.attemptSendMessage`,
/// `sentReplyBytes`): same validation, limits, faults and record; a `.slow` fault holds the
/// connection's later answers as Hummingbird's one-request-at-a-time handling does.
/// Everything else — other methods, other layouts — goes on to Hummingbird untouched.
///
/// Why: a load test of the send loop runs the simulator on the sender's cores, and
/// Hummingbird's per-request cost (async channel bridging, a task hop each way, request and
/// response objects) was most of the simulator's share of the CPU.
///
/// Answers leave in request order (HTTP/1.1 pipelining): while a request handed to
/// Hummingbird is unanswered, later ones go the same way.
final class SendMessageFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let responder: SimulatorResponder
    /// `/bot<token>/sendMessage`.
    private let path: String
    /// Requests handed to Hummingbird whose answers have not been written yet.
    private var forwarded = 0
    /// The head of the request being read for the fast path, and its body so far.
    private var head: HTTPRequest?
    private var body = ByteBuffer()
    /// A `.slow` fault holds this connection's answers; parts read meanwhile wait here, in order.
    private var holding = false
    private var held: [HTTPRequestPart] = []
    private var needsFlush = false
    /// Set once the channel is gone: a held answer then has nowhere to go.
    private var removed = false

    init(responder: SimulatorResponder) {
        self.responder = responder
        self.path = "/bot\(responder.core.configuration.token.rawValue)/sendMessage"
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if holding {
            held.append(part)
        } else {
            read(part, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwarded -= 1 }
        context.write(data, promise: promise)
    }

    private func read(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let request):
            if forwarded == 0, request.method == .post, request.path == path, request.headerFields[.connection] == nil {
                head = request
                body = ByteBuffer()
            } else {
                pass(part, context: context)
            }
        case .body(var bytes):
            guard let request = head else { return context.fireChannelRead(wrapInboundOut(part)) }
            if body.readableBytes + bytes.readableBytes > responder.core.configuration.maxBodyBytes {
                // Too large for us: Hummingbird answers 413, as before.
                head = nil
                pass(.head(request), context: context)
                context.fireChannelRead(wrapInboundOut(.body(body)))
                context.fireChannelRead(wrapInboundOut(part))
            } else {
                body.writeBuffer(&bytes)
            }
        case .end:
            guard let request = head else { return context.fireChannelRead(wrapInboundOut(part)) }
            head = nil
            guard let parameters = SimulatorResponder.plainSendMessage(body, contentType: request.headerFields[.contentType]) else {
                pass(.head(request), context: context)
                if body.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(.body(body))) }
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            send(parameters, includeSlow: true, context: context)
        }
    }

    /// Hands a request head to Hummingbird; its answer is counted back in `write`.
    private func pass(_ head: HTTPRequestPart, context: ChannelHandlerContext) {
        forwarded += 1
        context.fireChannelRead(wrapInboundOut(head))
    }

    private func send(_ parameters: SendMessageRequest, includeSlow: Bool, context: ChannelHandlerContext) {
        switch responder.core.attemptSendMessage(parameters, includeSlow: includeSlow) {
        case .accepted(let message): answer(.success(message), context: context)
        case .failure(let failure): answer(.failure(failure), context: context)
        case .delay(let delay):
            holding = true
            let (seconds, attoseconds) = delay.components
            let wait = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            context.eventLoop.assumeIsolated().scheduleTask(in: wait) {
                guard !self.removed else { return }
                self.send(parameters, includeSlow: false, context: context)
                self.flushIfNeeded(context)
                self.release(context: context)
            }
        }
    }

    /// Replays the parts read while an answer was held.
    private func release(context: ChannelHandlerContext) {
        holding = false
        while !held.isEmpty && !holding {
            read(held.removeFirst(), context: context)
        }
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    private func answer(_ result: Result<Message, SimulatorFailure>, context: ChannelHandlerContext) {
        let (status, body) = responder.sentReplyBytes(result)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.readableBytes)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
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
