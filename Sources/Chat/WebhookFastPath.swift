import HTTPTypes
import NIOCore
import NIOHTTP1
import Telegram

/// Answers `POST /telegram/webhook` on the event loop, ahead of Hummingbird (through
/// `FastPathHandler`): the checks (`WebhookRoute.admit`) and the refusals happen right there,
/// the update is applied in a task (`WebhookRoute.apply`), and the answer is written back on the
/// loop. The decisions are the route's own, so both paths answer alike; only the request
/// plumbing differs.
///
/// Why: under load, Hummingbird's per-request bridging (the async channel hand-off, router,
/// request context, per-request logger metadata) was about a tenth of the chat front's CPU.
///
/// Everything else — other paths and methods, HTTP/1.0, a request with `Connection: close` —
/// goes on to Hummingbird untouched.
final class WebhookFastPath: FastPathExchange {
    /// The request being read here: its early refusal, if any, and its body so far.
    private struct Reading {
        var refusal: HTTPResponse.Status?
        var body = ByteBuffer()
    }

    private let route: WebhookRoute
    private var reading: Reading?
    /// This connection's loop as the executor of its updates' tasks, made on the first update.
    private var loopExecutor: EventLoopTaskExecutor?

    init(route: WebhookRoute) {
        self.route = route
    }

    func begin(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .POST, head.version == .http1_1, head.uri == route.configuration.path,
              !Self.asksToClose(head.headers.value(of: "Connection")) else { return false }
        reading = Reading(refusal: route.admit(secret: head.headers.value(of: SetWebhookRequest.secretTokenHeader),
                                               contentLength: head.headers.value(of: "Content-Length")))
        return true
    }

    func receive(_ bytes: ByteBuffer) -> [HTTPServerRequestPart]? {
        // Refused already: the rest is read and dropped.
        guard var current = reading, current.refusal == nil else { return nil }
        reading = nil  // no second reference while the body grows
        if current.body.readableBytes + bytes.readableBytes > route.configuration.maxBodyBytes {
            route.leave()
            current.refusal = route.refused(.contentTooLarge)
            current.body = ByteBuffer()
        } else {
            current.body.writeImmutableBuffer(bytes)
        }
        reading = current
        return nil
    }

    func end(on eventLoop: any EventLoop) -> FastPathStep {
        // Never nil after `begin`; answered as a request that never started, should that change.
        guard let current = reading else { return .answer(Self.answer(.badRequest)) }
        reading = nil
        if let refusal = current.refusal { return .answer(Self.answer(refusal)) }
        let route = self.route
        let body = current.body
        let promise = eventLoop.makePromise(of: FastPathAnswer.self)
        // The update runs on this connection's loop, where its Redis and Telegram connections
        // are picked too: no await hands it to another thread (`EventLoopTaskExecutor`).
        let executor = loopExecutor ?? EventLoopTaskExecutor(eventLoop)
        loopExecutor = executor
        // `@Sendable`: without it Swift 6.3's region checker gives up on this closure.
        Task(executorPreference: executor) { @Sendable in
            let status = await route.apply(body)
            route.leave()
            promise.succeed(Self.answer(status))
        }
        return .later(promise.futureResult)
    }

    /// A request that took an admission place and lost its connection mid-body gives it back.
    func abandon() {
        if let current = reading, current.refusal == nil { route.leave() }
        reading = nil
    }

    /// `Connection: close`: Hummingbird's connection handling closes after the answer.
    static func asksToClose(_ connection: String?) -> Bool {
        connection?.lowercased().contains("close") ?? false
    }

    /// The answer to nearly every update, made once.
    private static let applied = made(.ok)

    /// The route's answer (its status and header fields) in NIO's terms.
    private static func answer(_ status: HTTPResponse.Status) -> FastPathAnswer {
        status == .ok ? applied : made(status)
    }

    private static func made(_ status: HTTPResponse.Status) -> FastPathAnswer {
        var headers = HTTPHeaders()
        for field in WebhookRoute.headerFields(status) { headers.add(name: field.name.rawName, value: field.value) }
        return FastPathAnswer(status: HTTPResponseStatus(statusCode: status.code), headers: headers)
    }
}
