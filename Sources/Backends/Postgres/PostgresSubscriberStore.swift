import Core
import Logging
import PostgresNIO

/// The subscriber store on PostgreSQL: writes go to the primary; reads that tolerate lag
/// (due subscribers, schedule entries, counts, run listings, delivered URLs) go to replicas
/// through `PostgresCluster`, and every read a flow depends on right after a write (a subscriber
/// by id, a run's progress, pending users, stored messages) reads the primary. Bulk writes send
/// whole arrays and `UNNEST` them: one round trip per `batchSize` rows.
///
///     let cluster = PostgresCluster(configuration: try PostgresConfiguration(databaseURL: url, readURLs: reads))
///     let store = PostgresSubscriberStore(cluster: cluster)   // run `cluster` in the ServiceGroup
///     try await PostgresMigrator(cluster: cluster).migrate()
///
/// Instants are stored as `timestamptz` (microsecond precision).
public final class PostgresSubscriberStore: SubscriberStore {
    public let cluster: PostgresCluster
    /// Where the lag-tolerant reads go; `.primary` makes every read see every process's writes.
    public let laggingReads: PostgresReadConsistency
    /// Rows per statement in bulk operations (subscribers, run users, digest messages).
    public let batchSize: Int
    let logger: Logger
    /// Coalesces concurrent `subscriber(id:)` reads (on the primary) into one query.
    let subscriberReads: PostgresSubscriberReadBatcher

    public convenience init(cluster: PostgresCluster, laggingReads: PostgresReadConsistency = .replica, batchSize: Int = 10_000) {
        self.init(cluster: cluster, laggingReads: laggingReads, batchSize: batchSize,
                  subscriberReads: PostgresSubscriberReadBatcher { ids in
                      try await PostgresSubscriberStore.readSubscribers(ids, cluster: cluster)
                  })
    }

    init(cluster: PostgresCluster, laggingReads: PostgresReadConsistency, batchSize: Int,
         subscriberReads: PostgresSubscriberReadBatcher) {
        self.cluster = cluster
        self.laggingReads = laggingReads
        self.batchSize = max(1, batchSize)
        self.logger = cluster.logger
        self.subscriberReads = subscriberReads
    }

    /// The same store with every read on the primary: for a flow that must see writes made by
    /// other processes a moment ago. Shares this store's coalesced subscriber reads.
    public func readingPrimary() -> PostgresSubscriberStore {
        PostgresSubscriberStore(cluster: cluster, laggingReads: .primary, batchSize: batchSize,
                                subscriberReads: subscriberReads)
    }

    /// Runs `body` on the primary; errors become redacted `NewsbotError`s.
    @discardableResult
    func writing<Result: Sendable>(_ operation: String, _ body: (PostgresClient) async throws -> Result) async throws -> Result {
        do {
            return try await cluster.write(body)
        } catch {
            throw PostgresFailure.wrap(error, operation: operation)
        }
    }

    /// Runs `query` where `consistency` routes it and decodes its rows; errors become redacted
    /// `NewsbotError`s.
    func reading<Result: Sendable>(_ operation: String, _ consistency: PostgresReadConsistency, _ query: PostgresQuery,
                                   decode: @Sendable (PostgresQueryResult) throws -> Result) async throws -> Result {
        do {
            return try await cluster.read(consistency, operation: operation, query, decode: decode)
        } catch {
            throw PostgresFailure.wrap(error, operation: operation)
        }
    }
}
