import HTTPTypes
import NIOCore
import NIOHTTPTypes
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
/// Everything else — other paths and methods, a request with `Connection: close` — goes
/// on to Hummingbird untouched.
struct WebhookFastPath: FastPathExchange {
    /// The request being read here: its early refusal, if any, and its body so far.
    struct Reading {
        var refusal: HTTPResponse.Status?
        var body = ByteBuffer()
    }

    let route: WebhookRoute

    func begin(_ request: HTTPRequest) -> Reading? {
        guard request.method == .post, request.path == route.configuration.path,
              !Self.asksToClose(request.headerFields[.connection]) else { return nil }
        return Reading(refusal: route.admit(secret: request.headerFields[WebhookRoute.secretHeader],
                                            contentLength: request.headerFields[.contentLength]))
    }

    func receive(_ bytes: ByteBuffer, into reading: inout Reading) -> [HTTPRequestPart]? {
        guard reading.refusal == nil else { return nil }  // refused already: the rest is read and dropped
        if reading.body.readableBytes + bytes.readableBytes > route.configuration.maxBodyBytes {
            route.leave()
            reading.refusal = route.refused(.contentTooLarge)
            reading.body = ByteBuffer()
        } else {
            reading.body.writeImmutableBuffer(bytes)
        }
        return nil
    }

    func end(_ reading: Reading, on eventLoop: any EventLoop) -> FastPathStep {
        if let refusal = reading.refusal { return .answer(Self.answer(refusal)) }
        let route = self.route
        let body = reading.body
        return .later(eventLoop.makeFutureWithTask {
            let status = await route.apply(body)
            route.leave()
            return Self.answer(status)
        })
    }

    /// A request that took an admission place and lost its connection mid-body gives it back.
    func abandon(_ reading: Reading) {
        if reading.refusal == nil { route.leave() }
    }

    /// `Connection: close`: Hummingbird's connection handling closes after the answer.
    static func asksToClose(_ connection: String?) -> Bool {
        connection?.lowercased().contains("close") ?? false
    }

    private static func answer(_ status: HTTPResponse.Status) -> FastPathAnswer {
        var fields = WebhookRoute.headerFields(status)
        fields[.contentLength] = "0"
        return FastPathAnswer(head: HTTPResponse(status: status, headerFields: fields))
    }
}
