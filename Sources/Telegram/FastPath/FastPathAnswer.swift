import NIOCore
import NIOHTTP1

/// A response written by `FastPathHandler`: a head and, when there is one, a body.
public struct FastPathAnswer: Sendable {
    public var head: HTTPResponseHead
    public var body: ByteBuffer?

    public init(head: HTTPResponseHead, body: ByteBuffer? = nil) {
        self.head = head
        self.body = body
    }

    /// An HTTP/1.1 answer (the fast paths take only HTTP/1.1 requests) with its
    /// `Content-Length` set from the body.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        self.init(head: HTTPResponseHead(version: .http1_1, status: status, headers: headers), body: body)
    }
}
