import Core
import Logging
import PostgresNIO
import Synchronization

extension PostgresCluster {
    /// Probes every replica each `healthCheckInterval` until cancelled.
    func monitorReplicas() async {
        while !Task.isCancelled {
            await probeReplicas()
            do { try await Task.sleep(for: configuration.healthCheckInterval) } catch { return }
        }
    }

    /// One round: sample the primary's WAL position, then probe each replica concurrently.
    func probeReplicas() async {
        do {
            let lsn = try await PostgresDeadline.run(limit: configuration.replicaReadTimeout, what: "probe primary") {
                try await self.primaryWALPosition()
            }
            let now = ContinuousClock.now
            routing.withLock { $0.lag.record(primaryLSN: lsn, at: now) }
        } catch {
            // Without a fresh sample the estimate uses older ones (or the replay timestamp).
            logger.debug("postgres primary probe failed", metadata: ["newsbot.error": "\(PostgresFailure.summary(error))"])
        }
        await withDiscardingTaskGroup { group in
            for replica in replicas {
                group.addTask { await self.probe(replica) }
            }
        }
    }

    /// Asks the replica whether it is a standby, how far it has replayed and how old its last
    /// replayed transaction is, and settles its health.
    func probe(_ replica: PostgresReplica) async {
        let probe: (inRecovery: Bool, replayLSN: Int64, replayAge: Double?)
        do {
            probe = try await PostgresDeadline.run(limit: configuration.replicaReadTimeout, what: "probe replica") {
                let rows = try await replica.client.fetch("""
                    SELECT pg_is_in_recovery(),
                           COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8, -1),
                           EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8
                    """, logger: self.logger)
                for row in try rows.decode((Bool, Int64, Double?).self) { return row }
                throw NewsbotError(.storage, "postgres: replica probe returned no row")
            }
        } catch {
            if !Task.isCancelled { markUnreachable(replica, error: error) }
            return
        }
        let now = ContinuousClock.now
        let estimated = routing.withLock { $0.lag.lag(replayLSN: probe.replayLSN, now: now) }
        // No primary sample yet (primary unreachable since start): fall back to the replay timestamp.
        let lag = estimated ?? .seconds(max(0, probe.replayAge ?? 0))
        let health: PostgresReplicaHealth
        if !probe.inRecovery {
            health = .notStandby
        } else if lag > configuration.maxReplicaLag {
            health = .lagging
        } else {
            health = .healthy
        }
        let change = replica.update { status in
            status.health = health
            status.replayLSN = probe.inRecovery ? probe.replayLSN : nil
            status.lag = lag
            status.lastError = nil
            status.checkedAt = now
        }
        guard change.before != change.after else { return }
        let metadata: Logger.Metadata = [
            "newsbot.postgres.replica": "\(replica.endpoint.address)",
            "newsbot.postgres.health": "\(health.rawValue)",
            "newsbot.postgres.lag_seconds": "\(lag.timeInterval)",
        ]
        if health == .healthy {
            // Quiet at start-up; a replica coming back is worth an info line.
            let level: Logger.Level = change.before == .unknown ? .debug : .info
            logger.log(level: level, "postgres replica serving reads", metadata: metadata)
        } else {
            logger.warning("postgres replica not used for reads", metadata: metadata)
        }
    }
}
