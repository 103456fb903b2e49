import NIOCore
import NIOHTTP1

/// The decisions of a `FastPathHandler`, one exchange per connection: which requests are
/// answered on the event loop, and how. The handler keeps the order of pipelined answers, holds
/// later parts while an answer is pending and flushes; an exchange only says what each request
/// gets, and keeps what it needs of the request it took (its body so far, an early refusal)
/// until `end` or `abandon`.
///
/// A class protocol without associated types on purpose: the handler calls it through the
/// existential, so no generic code is left unspecialized behind NIO's dynamic dispatch (a
/// generic handler looked its type metadata up at run time on every request part).
public protocol FastPathExchange: AnyObject {
    /// A new request, offered only while no earlier one is with the next handler. False hands
    /// it on.
    func begin(_ head: HTTPRequestHead) -> Bool

    /// A body part of the request taken. Nil keeps reading; parts hand the request to the next
    /// handler after all, these first (its head and body so far), then the rest of it.
    func receive(_ bytes: ByteBuffer) -> [HTTPServerRequestPart]?

    /// The taken request's end.
    func end(on eventLoop: any EventLoop) -> FastPathStep

    /// The connection went away while the taken request was being read.
    func abandon()
}
