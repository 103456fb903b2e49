import NIOCore
import NIOHTTP1
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
final class SendMessageFastPath: FastPathExchange {
    /// The request's head and its body so far.
    private struct Reading {
        var head: HTTPRequestHead
        var body = ByteBuffer()
    }

    private let responder: SimulatorResponder
    /// `/bot<token>/sendMessage`.
    private let path: String
    private var reading: Reading?

    init(responder: SimulatorResponder) {
        self.responder = responder
        self.path = "/bot\(responder.core.configuration.token.rawValue)/sendMessage"
    }

    func begin(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .POST, head.version == .http1_1, head.uri == path, !head.headers.contains(name: "Connection") else {
            return false
        }
        reading = Reading(head: head)
        return true
    }

    func receive(_ bytes: ByteBuffer) -> [HTTPServerRequestPart]? {
        guard var current = reading else { return nil }
        reading = nil  // no second reference while the body grows
        guard current.body.readableBytes + bytes.readableBytes <= responder.core.configuration.maxBodyBytes else {
            // Too large for us: Hummingbird answers 413, as before.
            return [.head(current.head), .body(current.body), .body(bytes)]
        }
        current.body.writeImmutableBuffer(bytes)
        reading = current
        return nil
    }

    func end(on eventLoop: any EventLoop) -> FastPathStep {
        // Never nil after `begin`; answered as a request that never started, should that change.
        guard let current = reading else { return .answer(answer(.failure(.badRequest("request without a head")))) }
        reading = nil
        guard let parameters = SimulatorResponder.plainSendMessage(current.body, contentType: current.head.headers.value(of: "Content-Type")) else {
            return .forward(current.body.readableBytes > 0 ? [.head(current.head), .body(current.body), .end(nil)]
                                                           : [.head(current.head), .end(nil)])
        }
        switch responder.core.attemptSendMessage(parameters, includeSlow: true) {
        case .accepted(let message): return .answer(answer(.success(message)))
        case .failure(let failure): return .answer(answer(.failure(failure)))
        case .delay(let delay): return .later(answer(parameters, after: delay, on: eventLoop))
        }
    }

    func abandon() {
        reading = nil
    }

    /// A `.slow` fault's answer: the send is tried again after the delay, without the fault.
    private func answer(_ parameters: SendMessageRequest, after delay: Duration,
                        on eventLoop: any EventLoop) -> EventLoopFuture<FastPathAnswer> {
        // On the connection's loop, like every call of this exchange: `self` stays there.
        eventLoop.assumeIsolated().flatScheduleTask(deadline: .now() + TimeAmount(delay)) { [self] in
            switch responder.core.attemptSendMessage(parameters, includeSlow: false) {
            case .accepted(let message): eventLoop.makeSucceededFuture(answer(.success(message)))
            case .failure(let failure): eventLoop.makeSucceededFuture(answer(.failure(failure)))
            case .delay(let delay): answer(parameters, after: delay, on: eventLoop)
            }
        }.futureResult
    }

    private func answer(_ result: Result<Message, SimulatorFailure>) -> FastPathAnswer {
        let (status, body) = responder.sentReplyBytes(result)
        return FastPathAnswer(status: HTTPResponseStatus(statusCode: status), headers: ["Content-Type": "application/json"], body: body)
    }
}
