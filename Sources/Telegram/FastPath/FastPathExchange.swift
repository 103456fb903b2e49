import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The decisions of a `FastPathHandler`: which requests are answered on the event loop, and how.
/// The handler keeps the order of pipelined answers, holds later parts while an answer is
/// pending and flushes; an exchange only says what each request gets.
public protocol FastPathExchange {
    /// What the exchange keeps of a request while reading it (its body so far, an early refusal).
    associatedtype Reading

    /// A new request, taken only while no earlier one is with the next handler. Nil hands it on.
    func begin(_ head: HTTPRequest) -> Reading?

    /// A body part of a request taken here. Nil keeps reading; parts hand the request to the
    /// next handler after all, these first (its head and body so far), then the rest of it.
    func receive(_ bytes: ByteBuffer, into reading: inout Reading) -> [HTTPRequestPart]?

    /// The request's end.
    func end(_ reading: Reading, on eventLoop: any EventLoop) -> FastPathStep

    /// The connection went away while the request was being read.
    func abandon(_ reading: Reading)
}
