import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Telegram

/// Answers `sendMessage` on the event loop, ahead of Hummingbird (through `FastPathHandler`),
/// when the body has the layout `TelegramClient` writes for a message without a keyboard. The
/// answer comes from the same code as the general path (`plainSendMessage`,
/// `SimulatorCore.attemptSendMessage`, `sentReplyBytes`): same validation, limits, faults and
/// record; a `.slow` fault holds the connection's later answers as Hummingbird's
/// one-request-at-a-time handling does. Everything else — other methods, other layouts, a body
/// over the limit — goes on to Hummingbird untouched.
///
/// Why: a load test of the send loop runs the simulator on the sender's cores, and
/// Hummingbird's per-request cost (async channel bridging, a task hop each way, request and
/// response objects) was most of the simulator's share of the CPU.
struct SendMessageFastPath: FastPathExchange {
    /// The request's head and its body so far.
    struct Reading {
        var head: HTTPRequest
        var body = ByteBuffer()
    }

    private let responder: SimulatorResponder
    /// `/bot<token>/sendMessage`.
    private let path: String

    init(responder: SimulatorResponder) {
        self.responder = responder
        self.path = "/bot\(responder.core.configuration.token.rawValue)/sendMessage"
    }

    func begin(_ request: HTTPRequest) -> Reading? {
        guard request.method == .post, request.path == path, request.headerFields[.connection] == nil else { return nil }
        return Reading(head: request)
    }

    func receive(_ bytes: ByteBuffer, into reading: inout Reading) -> [HTTPRequestPart]? {
        guard reading.body.readableBytes + bytes.readableBytes <= responder.core.configuration.maxBodyBytes else {
            // Too large for us: Hummingbird answers 413, as before.
            return [.head(reading.head), .body(reading.body), .body(bytes)]
        }
        reading.body.writeImmutableBuffer(bytes)
        return nil
    }

    func end(_ reading: Reading, on eventLoop: any EventLoop) -> FastPathStep {
        guard let parameters = SimulatorResponder.plainSendMessage(reading.body, contentType: reading.head.headerFields[.contentType]) else {
            return .forward(reading.body.readableBytes > 0 ? [.head(reading.head), .body(reading.body), .end(nil)]
                                                           : [.head(reading.head), .end(nil)])
        }
        switch responder.core.attemptSendMessage(parameters, includeSlow: true) {
        case .accepted(let message): return .answer(answer(.success(message)))
        case .failure(let failure): return .answer(answer(.failure(failure)))
        case .delay(let delay): return .later(self.answer(parameters, after: delay, on: eventLoop))
        }
    }

    func abandon(_ reading: Reading) {}

    /// A `.slow` fault's answer: the send is tried again after the delay, without the fault.
    private func answer(_ parameters: SendMessageRequest, after delay: Duration,
                        on eventLoop: any EventLoop) -> EventLoopFuture<FastPathAnswer> {
        let (seconds, attoseconds) = delay.components
        let wait = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return eventLoop.flatScheduleTask(in: wait) {
            switch responder.core.attemptSendMessage(parameters, includeSlow: false) {
            case .accepted(let message): eventLoop.makeSucceededFuture(answer(.success(message)))
            case .failure(let failure): eventLoop.makeSucceededFuture(answer(.failure(failure)))
            case .delay(let delay): answer(parameters, after: delay, on: eventLoop)
            }
        }.futureResult
    }

    private func answer(_ result: Result<Message, SimulatorFailure>) -> FastPathAnswer {
        let (status, body) = responder.sentReplyBytes(result)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.readableBytes)
        return FastPathAnswer(head: HTTPResponse(status: .init(code: status), headerFields: fields), body: body)
    }
}
