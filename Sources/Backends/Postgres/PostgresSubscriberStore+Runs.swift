import Core
import Foundation
import Logging
import PostgresNIO

extension PostgresSubscriberStore {
    public func createRun(_ key: SlotRunKey, at now: Date) async throws -> (run: SlotRun, created: Bool) {
        let created = try await writing("create run") { client in
            let rows = try await client.fetch("""
                INSERT INTO slot_runs (pipeline, slot, local_date, created_at, updated_at)
                VALUES (\(key.pipeline), \(PostgresRows.minutes(key.slot)), \(key.date.description)::date, \(now), \(now))
                ON CONFLICT (pipeline, slot, local_date) DO NOTHING
                RETURNING id
                """, logger: logger)
            var inserted = false
            for _ in try rows.decode(Int64.self) { inserted = true }
            return inserted
        }
        guard let run = try await run(key) else {
            throw NewsbotError(.storage, "postgres create run: run \(key) missing after insert")
        }
        return (run, created)
    }

    public func run(_ key: SlotRunKey) async throws -> SlotRun? {
        // Primary: `pipeline run --wait` polls this while workers write.
        let query: PostgresQuery = """
            \(unescaped: Self.runSelect)
            WHERE r.pipeline = \(key.pipeline) AND r.slot = \(PostgresRows.minutes(key.slot)) AND r.local_date = \(key.date.description)::date
            """
        return try await reading("read run", .primary, query) { rows in try Self.decodeRuns(rows).first }
    }

    public func runs(limit: Int) async throws -> [SlotRun] {
        guard limit > 0 else { return [] }
        // Same order as memory: newest first, ties by key (date, slot, pipeline) descending.
        let query: PostgresQuery = """
            \(unescaped: Self.runSelect)
            ORDER BY r.created_at DESC, r.local_date DESC, r.slot DESC, r.pipeline COLLATE "C" DESC
            LIMIT \(limit)
            """
        return try await reading("list runs", laggingReads, query) { rows in try Self.decodeRuns(rows) }
    }

    public func markRunCompleted(_ key: SlotRunKey, at now: Date) async throws {
        try await writing("complete run") { client in
            try await client.fetch("""
                UPDATE slot_runs SET completed_at = COALESCE(completed_at, \(now)), updated_at = \(now)
                WHERE pipeline = \(key.pipeline) AND slot = \(PostgresRows.minutes(key.slot)) AND local_date = \(key.date.description)::date
                """, logger: logger)
        }
    }

    @discardableResult
    public func addRunUsers(_ key: SlotRunKey, userIDs: [Int64]) async throws -> Int {
        guard !userIDs.isEmpty else { return 0 }
        let ids = Array(Set(userIDs)).sorted()
        let logger = self.logger
        let batchSize = self.batchSize
        return try await writing("add run users") { client in
            try await client.withTransaction(logger: logger) { connection -> Int in
                var added = 0
                var start = 0
                while start < ids.count {
                    let batch = Array(ids[start..<min(start + batchSize, ids.count)])
                    // One statement: insert the new users and reopen a completed run if any was new.
                    let rows = try await connection.fetch("""
                        WITH run AS (
                            SELECT id FROM slot_runs
                            WHERE pipeline = \(key.pipeline) AND slot = \(PostgresRows.minutes(key.slot))
                              AND local_date = \(key.date.description)::date
                        ), added AS (
                            INSERT INTO run_users (run_id, user_id)
                            SELECT run.id, u.user_id FROM run, unnest(\(PostgresArrayLiteral.integers(batch))::int8[]) AS u(user_id)
                            ORDER BY u.user_id
                            ON CONFLICT (run_id, user_id) DO NOTHING
                            RETURNING 1
                        ), reopened AS (
                            UPDATE slot_runs SET completed_at = NULL
                            WHERE id = (SELECT id FROM run) AND completed_at IS NOT NULL AND EXISTS (SELECT 1 FROM added)
                            RETURNING 1
                        )
                        SELECT count(*) FROM added
                        """, logger: logger)
                    for count in try rows.decode(Int.self) { added += count }
                    start += batch.count
                }
                return added
            }
        }
    }

    public func pendingRunUsers(_ key: SlotRunKey, afterID: Int64?, limit: Int) async throws -> [Int64] {
        guard limit > 0 else { return [] }
        let query: PostgresQuery = """
            SELECT u.user_id FROM run_users u JOIN slot_runs r ON r.id = u.run_id
            WHERE r.pipeline = \(key.pipeline) AND r.slot = \(PostgresRows.minutes(key.slot)) AND r.local_date = \(key.date.description)::date
              AND u.outcome = 'pending' AND u.user_id > \(afterID ?? Int64.min)
            ORDER BY u.user_id LIMIT \(limit)
            """
        // Primary: workers read what the scheduler (another process) has just added.
        return try await reading("pending run users", .primary, query) { rows in
            var ids: [Int64] = []
            for id in try rows.decode(Int64.self) { ids.append(id) }
            return ids
        }
    }

    public func setRunUserOutcome(_ key: SlotRunKey, userID: Int64, _ outcome: RunUserOutcome) async throws {
        let (name, parts, reason): (String, Int?, String?) = switch outcome {
        case .pending: ("pending", nil, nil)
        case .rendered(let parts): ("rendered", parts, nil)
        case .skipped(let reason): ("skipped", nil, reason)
        }
        try await writing("set run user outcome") { client in
            try await client.fetch("""
                UPDATE run_users SET outcome = \(name), parts = \(parts), skip_reason = \(reason)
                WHERE user_id = \(userID) AND run_id = (
                    SELECT id FROM slot_runs
                    WHERE pipeline = \(key.pipeline) AND slot = \(PostgresRows.minutes(key.slot))
                      AND local_date = \(key.date.description)::date)
                """, logger: logger)
        }
    }

    /// A run with its counts: users by outcome (skips by reason) and messages by delivery state,
    /// each from one index range of its run.
    static let runSelect = """
        SELECT r.pipeline, r.slot, to_char(r.local_date, 'YYYY-MM-DD'), r.created_at, r.updated_at, r.completed_at,
               u.due, u.pending, u.rendered, k.reasons, k.counts, m.total, m.delivered, m.failed
        FROM slot_runs r
        CROSS JOIN LATERAL (
            SELECT count(*) AS due,
                   count(*) FILTER (WHERE outcome = 'pending') AS pending,
                   count(*) FILTER (WHERE outcome = 'rendered') AS rendered
            FROM run_users WHERE run_id = r.id) u
        CROSS JOIN LATERAL (
            SELECT COALESCE(array_agg(reason ORDER BY reason), '{}') AS reasons,
                   COALESCE(array_agg(n ORDER BY reason), '{}') AS counts
            FROM (SELECT COALESCE(skip_reason, '') AS reason, count(*) AS n FROM run_users
                  WHERE run_id = r.id AND outcome = 'skipped' GROUP BY 1) s) k
        CROSS JOIN LATERAL (
            SELECT count(*) AS total, count(delivered_at) AS delivered,
                   count(*) FILTER (WHERE delivered_at IS NULL AND failure IS NOT NULL) AS failed
            FROM digest_messages
            WHERE run_pipeline = r.pipeline AND run_slot = r.slot AND run_date = r.local_date) m
        """

    static func decodeRuns(_ rows: PostgresQueryResult) throws -> [SlotRun] {
        var runs: [SlotRun] = []
        let types = (String, Int16, String, Date, Date, Date?, Int, Int, Int, [String], [Int], Int, Int, Int).self
        for row in try rows.decode(types) {
            let key = SlotRunKey(pipeline: row.0, slot: try PostgresRows.slot(row.1), date: try PostgresRows.date(row.2))
            var skipped: [String: Int] = [:]
            for (reason, count) in zip(row.9, row.10) { skipped[reason] = count }
            let counts = SlotRunCounts(usersDue: row.6, usersPending: row.7, usersWithDigest: row.8, usersSkipped: skipped,
                                       messages: row.11, messagesDelivered: row.12, messagesFailed: row.13)
            runs.append(SlotRun(key: key, createdAt: row.3, updatedAt: row.4, completedAt: row.5, counts: counts))
        }
        return runs
    }
}
