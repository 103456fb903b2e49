import Core
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The primary and its read replicas, each behind its own PostgresNIO connection pool, with the
/// routing the store relies on: writes go to the primary; reads that tolerate lag go round-robin
/// to healthy replicas and fall back to the primary when a replica is down, lagging past
/// `maxReplicaLag`, or has not replayed this process's own writes yet.
///
/// A `Service`: add it to the `ServiceGroup` before anything that uses it (groups stop in reverse
/// order), or run `run()` in a task. `run()` may be called once; queries wait until it runs.
public final class PostgresCluster: Service, Sendable {
    public let configuration: PostgresConfiguration
    let primary: PostgresClient
    let replicas: [PostgresReplica]
    let logger: Logger
    let routing: Mutex<PostgresRoutingState>

    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "newsbot.postgres")) {
        self.configuration = configuration
        self.logger = logger
        self.primary = PostgresClient(
            configuration: configuration.primary.clientConfiguration(
                pool: configuration.primaryPool, connectTimeout: configuration.connectTimeout,
                schema: configuration.schema, applicationName: configuration.applicationName),
            backgroundLogger: logger)
        self.replicas = configuration.replicas.map { endpoint in
            PostgresReplica(endpoint: endpoint, client: PostgresClient(
                configuration: endpoint.clientConfiguration(
                    pool: configuration.replicaPool, connectTimeout: configuration.connectTimeout,
                    schema: configuration.schema, applicationName: configuration.applicationName),
                backgroundLogger: logger))
        }
        // Samples are kept well past the bound, so a replica beyond it is recognised as such.
        let retention = configuration.maxReplicaLag * 2 + configuration.healthCheckInterval * 4
        self.routing = Mutex(PostgresRoutingState(lagRetention: retention))
    }

    /// Runs the connection pools and, with replicas, the health probes, until cancelled or shut down gracefully.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.primary.run() }
            for replica in replicas {
                group.addTask { await replica.client.run() }
            }
            if !replicas.isEmpty {
                group.addTask {
                    await cancelWhenGracefulShutdown { await self.monitorReplicas() }
                }
            }
        }
    }

    /// Each replica's health as last seen (for `/readyz`, metrics and tests).
    public func replicaStatuses() -> [PostgresReplicaStatus] { replicas.map(\.status) }

    /// Checks that the primary answers within `replicaReadTimeout` (`/readyz`; the pool itself
    /// would keep a request waiting for a dead server until its circuit breaker trips, ~60 s).
    public func checkPrimary() async throws {
        do {
            _ = try await PostgresDeadline.run(limit: configuration.replicaReadTimeout, what: "ping primary") {
                try await self.primary.fetch("SELECT 1", logger: self.logger)
                return true
            }
        } catch {
            throw PostgresFailure.wrap(error, operation: "ping primary")
        }
    }

    /// `pg_is_in_recovery()` read through the routing of `consistency`: true when the read was
    /// served by a standby. Lets tests and operators see where reads go.
    public func isInRecovery(consistency: PostgresReadConsistency) async throws -> Bool {
        do {
            return try await read(consistency, operation: "pg_is_in_recovery", "SELECT pg_is_in_recovery()") { rows in
                for inRecovery in try rows.decode(Bool.self) { return inRecovery }
                return false
            }
        } catch {
            throw PostgresFailure.wrap(error, operation: "pg_is_in_recovery")
        }
    }

    // MARK: routing

    /// Runs `body` on the primary and records the write for read-your-writes.
    func write<Result: Sendable>(_ body: (PostgresClient) async throws -> Result) async throws -> Result {
        defer { noteWrite() }
        return try await body(primary)
    }

    /// Records a write made on the primary outside `write` (the migrator).
    func noteWrite() { routing.withLock { $0.noteWrite() } }

    /// Runs `query` where `consistency` allows (see `PostgresReadConsistency`) and hands the rows
    /// to `decode`, collected (`PostgresConnection.fetch`). On a replica, `replicaReadTimeout`
    /// bounds the whole read (every result is a bounded page); a replica read that fails or times
    /// out is retried on the primary, and a connection failure marks the replica unreachable until
    /// a probe succeeds again.
    func read<Result: Sendable>(_ consistency: PostgresReadConsistency, operation: String, _ query: PostgresQuery,
                                decode: @Sendable (PostgresQueryResult) throws -> Result) async throws -> Result {
        guard consistency == .replica, !replicas.isEmpty else { return try await decode(primary.fetch(query, logger: logger)) }
        let now = ContinuousClock.now
        let staleAfter = max(configuration.maxReplicaLag, configuration.healthCheckInterval * 5)
        let candidates = routing.withLock { $0.rotation(count: replicas.count) }
            .map { replicas[$0] }
            .filter { $0.isEligible(now: now, staleAfter: staleAfter) }
        guard !candidates.isEmpty, let required = await writeWatermark() else {
            return try await decode(primary.fetch(query, logger: logger))
        }
        for replica in candidates {
            if (replica.status.replayLSN ?? -1) < required {
                guard let replayed = await refreshReplayPosition(replica), replayed >= required else { continue }
            }
            do {
                let rows = try await PostgresDeadline.run(limit: configuration.replicaReadTimeout, what: operation) {
                    try await replica.client.fetch(query, logger: self.logger)
                }
                return try decode(rows)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                if PostgresFailure.isConnectionFailure(error) {
                    markUnreachable(replica, error: error)
                } else {
                    logger.debug("postgres replica read failed, retrying on the primary", metadata: [
                        "newsbot.postgres.replica": "\(replica.endpoint.address)",
                        "newsbot.postgres.operation": "\(operation)",
                        "newsbot.error": "\(PostgresFailure.summary(error))",
                    ])
                }
            }
        }
        return try await decode(primary.fetch(query, logger: logger))
    }

    /// The primary WAL position this process's writes have reached; 0 before any write; nil
    /// when it cannot be learned (then reads use the primary).
    private func writeWatermark() async -> Int64? {
        let (known, generation) = routing.withLock { $0.watermark() }
        if let known { return known }
        do {
            let lsn = try await primaryWALPosition()
            routing.withLock { $0.setWatermark(lsn, generation: generation) }
            return lsn
        } catch {
            return nil
        }
    }

    /// The primary's WAL insert position (bytes). Insert, not flush: with `synchronous_commit = off`
    /// a commit returns before its WAL is flushed, and the flush position would not cover it yet.
    func primaryWALPosition() async throws -> Int64 {
        let rows = try await primary.fetch("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::int8", logger: logger)
        for lsn in try rows.decode(Int64.self) { return lsn }
        throw NewsbotError(.storage, "postgres: pg_current_wal_insert_lsn returned no row")
    }

    /// Asks the replica how far it has replayed now (when the last probe is behind this process's writes).
    private func refreshReplayPosition(_ replica: PostgresReplica) async -> Int64? {
        do {
            let lsn = try await PostgresDeadline.run(limit: configuration.replicaReadTimeout, what: "replay position") {
                let rows = try await replica.client.fetch("SELECT COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8, -1)",
                                                         logger: self.logger)
                for lsn in try rows.decode(Int64.self) { return lsn }
                return Int64(-1)
            }
            replica.update { status in status.replayLSN = max(status.replayLSN ?? -1, lsn) }
            return lsn
        } catch {
            if PostgresFailure.isConnectionFailure(error) { markUnreachable(replica, error: error) }
            return nil
        }
    }

    func markUnreachable(_ replica: PostgresReplica, error: any Error) {
        let summary = PostgresFailure.summary(error)
        let change = replica.update { status in
            status.health = .unreachable
            status.lastError = summary
            status.checkedAt = .now
        }
        if change.before != change.after {
            logger.warning("postgres replica unreachable, reading from the primary", metadata: [
                "newsbot.postgres.replica": "\(replica.endpoint.address)",
                "newsbot.error": "\(summary)",
            ])
        }
    }
}
