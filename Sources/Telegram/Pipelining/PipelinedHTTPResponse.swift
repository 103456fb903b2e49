import NIOCore

/// One HTTP answer as the send path needs it: the status and the whole body. Headers other
/// than the framing ones are read and dropped by `HTTPResponseParser`.
struct PipelinedHTTPResponse: Sendable {
    var status: Int
    var body: ByteBuffer
}
