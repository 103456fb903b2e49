import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `POST /telegram/webhook` on the event loop, ahead of Hummingbird: the checks
/// (`WebhookRoute.admit`) and the refusals happen right there, the update is applied in a task
/// (`WebhookRoute.apply`), and the answer is written back on the loop. The decisions are the
/// route's own, so both paths answer alike; only the request plumbing differs.
///
/// Why: under load, Hummingbird's per-request bridging (the async channel hand-off, router,
/// request context, per-request logger metadata) was about a tenth of the chat front's CPU.
///
/// Everything else — other paths and methods, a request with `Connection: close` — goes
/// on to Hummingbird untouched. Answers leave in request order (HTTP/1.1 pipelining): while a
/// request handed to Hummingbird is unanswered, later ones go the same way, and while an update
/// is being applied here, later parts wait.
final class WebhookFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The request being read here: its early refusal, if any, and its body so far.
    private struct Reading {
        var refusal: HTTPResponse.Status?
        var body = ByteBuffer()
    }

    private let route: WebhookRoute
    /// Requests handed to Hummingbird whose answers have not been written yet.
    private var forwarded = 0
    private var reading: Reading?
    /// An update read here is being applied: parts read meanwhile wait in `held`, in order.
    private var applying = false
    private var held: [HTTPRequestPart] = []
    /// A shutdown's quiesce event that arrived while a request was open here; Hummingbird's
    /// connection handler, which closes idle connections on it, hears it once that is answered.
    private var heldQuiesce: Any?
    private var needsFlush = false
    /// Set once the channel is gone: an answer then has nowhere to go.
    private var removed = false

    init(route: WebhookRoute) {
        self.route = route
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
        // A request that took an admission place and lost its connection mid-body gives it back.
        if let reading, reading.refusal == nil {
            route.leave()
            self.reading = nil
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if applying {
            held.append(part)
        } else {
            read(part, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, applying || reading != nil {
            heldQuiesce = event
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { forwarded -= 1 }
        context.write(data, promise: promise)
    }

    private func read(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let request):
            guard forwarded == 0, request.method == .post, request.path == route.configuration.path,
                  !Self.asksToClose(request.headerFields[.connection]) else {
                forwarded += 1
                return context.fireChannelRead(wrapInboundOut(part))
            }
            reading = Reading(refusal: route.admit(secret: request.headerFields[WebhookRoute.secretHeader],
                                                   contentLength: request.headerFields[.contentLength]))
        case .body(var bytes):
            guard var current = reading else { return context.fireChannelRead(wrapInboundOut(part)) }
            guard current.refusal == nil else { return }  // refused already: the rest is read and dropped
            reading = nil  // no second reference while the body grows
            if current.body.readableBytes + bytes.readableBytes > route.configuration.maxBodyBytes {
                route.leave()
                current.refusal = route.refused(.contentTooLarge)
                current.body = ByteBuffer()
            } else {
                current.body.writeBuffer(&bytes)
            }
            reading = current
        case .end:
            guard let current = reading else { return context.fireChannelRead(wrapInboundOut(part)) }
            reading = nil
            if let refusal = current.refusal {
                answer(refusal, context: context)
                forwardHeldQuiesce(context)
            } else {
                apply(current.body, context: context)
            }
        }
    }

    /// `Connection: close`: Hummingbird's connection handling closes after the answer.
    static func asksToClose(_ connection: String?) -> Bool {
        connection?.lowercased().contains("close") ?? false
    }

    /// Applies the update in a task and answers on the loop once it is done.
    private func apply(_ body: ByteBuffer, context: ChannelHandlerContext) {
        applying = true
        let route = self.route
        context.eventLoop.makeFutureWithTask {
            let status = await route.apply(body)
            route.leave()
            return status
        }.assumeIsolated().whenSuccess { status in
            guard !self.removed else { return }
            self.answer(status, context: context)
            self.flushIfNeeded(context)
            self.release(context: context)
        }
    }

    /// Replays the parts read while an update was being applied, then a held quiesce event.
    private func release(context: ChannelHandlerContext) {
        applying = false
        while !held.isEmpty && !applying {
            read(held.removeFirst(), context: context)
        }
        flushIfNeeded(context)
        context.fireChannelReadComplete()
        forwardHeldQuiesce(context)
    }

    /// Passes on a held quiesce event once no request is open here.
    private func forwardHeldQuiesce(_ context: ChannelHandlerContext) {
        guard !applying, reading == nil, let event = heldQuiesce else { return }
        heldQuiesce = nil
        flushIfNeeded(context)
        context.fireUserInboundEventTriggered(event)
    }

    private func answer(_ status: HTTPResponse.Status, context: ChannelHandlerContext) {
        var fields = WebhookRoute.headerFields(status)
        fields[.contentLength] = "0"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
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
