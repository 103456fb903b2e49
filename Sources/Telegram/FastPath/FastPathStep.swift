import NIOCore
import NIOHTTP1

/// What a `FastPathExchange` does with a request it has read to the end.
public enum FastPathStep {
    /// Answered now.
    case answer(FastPathAnswer)
    /// Answered once the future (of the channel's event loop) succeeds; the connection's later
    /// parts wait until then, so answers keep their order. A failed future closes the connection.
    case later(EventLoopFuture<FastPathAnswer>)
    /// Handed to the next handler after all: these parts, head first, go on as if never taken.
    case forward([HTTPServerRequestPart])
}
