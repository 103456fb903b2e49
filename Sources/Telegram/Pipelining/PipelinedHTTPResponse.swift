import NIOCore

/// One HTTP answer as the send path needs it: the status, `Retry-After` in seconds and the whole
/// body. Other headers than these and the framing ones are read and dropped by `HTTPResponseParser`.
package struct PipelinedHTTPResponse: Sendable {
    package var status: Int
    package var body: ByteBuffer
    /// `Retry-After` when it is a number of seconds (a 503 of the webhook route says when to come back).
    package var retryAfter: Int?

    init(status: Int, body: ByteBuffer, retryAfter: Int? = nil) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }
}
