import Logging
import PostgresNIO

extension PostgresClient {
    /// `PostgresConnection.fetch` on a pooled connection: all rows, collected on the event loop.
    @discardableResult
    func fetch(_ query: PostgresQuery, logger: Logger) async throws -> PostgresQueryResult {
        try await withConnection { connection in try await connection.fetch(query, logger: logger) }
    }
}
