import HTTPTypes
import NIOCore

/// A response written by `FastPathHandler`: a head and, when there is one, a body.
public struct FastPathAnswer: Sendable {
    public var head: HTTPResponse
    public var body: ByteBuffer?

    public init(head: HTTPResponse, body: ByteBuffer? = nil) {
        self.head = head
        self.body = body
    }
}
