import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects all its rows on the connection's event loop.
    ///
    /// Why not the async row stream: it stops asking the socket for data while the reader lags,
    /// and PostgresNIO 1.33 traps (`RowStreamStateMachine.channelReadComplete`: "How can we
    /// receive a body part, after a channelReadComplete…") when the server closes such a paused
    /// stream — a replica stopped in the middle of a read crashed the process. Collecting keeps
    /// demand up until the end, and saves the stream's per-query hand-offs. Every result here
    /// is bounded (a page, a batch, one row), so holding it whole costs nothing extra.
    @discardableResult
    func fetch(_ query: PostgresQuery, logger: Logger) async throws -> PostgresQueryResult {
        let result: EventLoopFuture<PostgresQueryResult> = self.query(query, logger: logger)
        return try await result.get()
    }
}
