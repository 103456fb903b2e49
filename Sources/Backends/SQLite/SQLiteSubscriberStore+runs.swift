import Core
import Foundation

extension SQLiteSubscriberStore {
    public func createRun(_ key: SlotRunKey, at now: Date) async throws -> (run: SlotRun, created: Bool) {
        try await database.write { connection in
            let created = try connection.run("""
                INSERT INTO slot_runs (pipeline, slot, local_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
                ON CONFLICT (pipeline, slot, local_date) DO NOTHING
                """, key.pipeline, key.slot.minuteOfDay, key.date.description, now) == 1
            guard let run = try Self.loadRun(key, connection) else {
                throw SQLiteError(code: 0, operation: "read back a created slot run")
            }
            return (run, created)
        }
    }

    public func run(_ key: SlotRunKey) async throws -> SlotRun? {
        try await database.snapshot { connection in try Self.loadRun(key, connection) }
    }

    public func runs(limit: Int) async throws -> [SlotRun] {
        guard limit > 0 else { return [] }
        return try await database.snapshot { connection in
            let rows = try connection.query("""
                SELECT \(Self.runColumns) FROM slot_runs
                ORDER BY created_at DESC, local_date DESC, slot DESC, pipeline DESC LIMIT ?
                """, limit, row: Self.runRow)
            return try rows.map { try Self.withCounts($0, connection) }
        }
    }

    public func markRunCompleted(_ key: SlotRunKey, at now: Date) async throws {
        try await database.write { connection in
            try connection.run("""
                UPDATE slot_runs SET completed_at = coalesce(completed_at, ?4), updated_at = ?4
                WHERE pipeline = ?1 AND slot = ?2 AND local_date = ?3
                """, key.pipeline, key.slot.minuteOfDay, key.date.description, now)
        }
    }

    public func addRunUsers(_ key: SlotRunKey, userIDs: [Int64]) async throws -> Int {
        guard !userIDs.isEmpty else { return 0 }
        return try await database.write { connection in
            guard let runID = try Self.runID(key, connection) else { return 0 }
            var added = 0
            try connection.withStatement(
                "INSERT INTO run_users (run_id, user_id, status) VALUES (?1, ?2, 'pending') ON CONFLICT DO NOTHING") { statement in
                try statement.bind(runID, at: 1)
                for userID in userIDs {
                    try statement.bind(userID, at: 2)
                    try statement.step()
                    added += connection.changes
                    // Keeps the run id bound; only the statement's position is reset.
                    statement.rewind()
                }
            }
            // New users mean work again: a completed run is resumed.
            if added > 0 { try connection.run("UPDATE slot_runs SET completed_at = NULL WHERE id = ?", runID) }
            return added
        }
    }

    public func pendingRunUsers(_ key: SlotRunKey, afterID: Int64?, limit: Int) async throws -> [Int64] {
        guard limit > 0 else { return [] }
        return try await database.read { connection in
            guard let runID = try Self.runID(key, connection) else { return [] }
            return try connection.query("""
                SELECT user_id FROM run_users
                WHERE run_id = ?1 AND status = 'pending' AND reason = '' AND user_id > ?2
                ORDER BY user_id LIMIT ?3
                """, runID, afterID ?? Int64.min, limit) { $0.int64(0) }
        }
    }

    public func setRunUserOutcome(_ key: SlotRunKey, userID: Int64, _ outcome: RunUserOutcome) async throws {
        try await setRunUserOutcomes(key, [userID: outcome])
    }

    /// One transaction and one prepared statement for a whole render chunk.
    public func setRunUserOutcomes(_ key: SlotRunKey, _ outcomes: [Int64: RunUserOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        let rows = outcomes.sorted { $0.key < $1.key }.map { userID, outcome -> (Int64, String, Int, String) in
            switch outcome {
            case .pending: (userID, "pending", 0, "")
            case .rendered(let parts): (userID, "rendered", parts, "")
            case .skipped(let reason): (userID, "skipped", 0, reason)
            }
        }
        try await database.write { connection in
            guard let runID = try Self.runID(key, connection) else { return }
            try connection.withStatement(
                "UPDATE run_users SET status = ?3, parts = ?4, reason = ?5 WHERE run_id = ?1 AND user_id = ?2") { statement in
                try statement.bind(runID, at: 1)
                for (userID, status, parts, reason) in rows {
                    try statement.bind(userID, at: 2)
                    try statement.bind(status, at: 3)
                    try statement.bind(parts, at: 4)
                    try statement.bind(reason, at: 5)
                    try statement.step()
                    statement.rewind()
                }
            }
        }
    }

    // MARK: rows and counts

    static let runColumns = "id, pipeline, slot, local_date, created_at, updated_at, completed_at"

    /// A run row with its database id, counts still empty.
    static func runRow(_ row: SQLiteStatement) throws -> (id: Int64, run: SlotRun) {
        let minute = row.int(2)
        guard let slot = Slot(hour: minute / 60, minute: minute % 60), let date = SQLiteDateParser.date(row.text(3)) else {
            throw SQLiteError(code: 0, operation: "decode a slot run row")
        }
        let key = SlotRunKey(pipeline: row.text(1), slot: slot, date: date)
        return (row.int64(0), SlotRun(key: key, createdAt: row.date(4), updatedAt: row.date(5), completedAt: row.optionalDate(6)))
    }

    static func runID(_ key: SlotRunKey, _ connection: SQLiteConnection) throws -> Int64? {
        try connection.first("SELECT id FROM slot_runs WHERE pipeline = ?1 AND slot = ?2 AND local_date = ?3",
                             key.pipeline, key.slot.minuteOfDay, key.date.description) { $0.int64(0) }
    }

    static func loadRun(_ key: SlotRunKey, _ connection: SQLiteConnection) throws -> SlotRun? {
        guard let row = try connection.first("""
            SELECT \(runColumns) FROM slot_runs WHERE pipeline = ?1 AND slot = ?2 AND local_date = ?3
            """, key.pipeline, key.slot.minuteOfDay, key.date.description, row: runRow) else { return nil }
        return try withCounts(row, connection)
    }

    /// Counts users by outcome and messages by state, each from a covering index.
    static func withCounts(_ row: (id: Int64, run: SlotRun), _ connection: SQLiteConnection) throws -> SlotRun {
        var counts = SlotRunCounts()
        try connection.withStatement(
            "SELECT status, reason, count(*) FROM run_users WHERE run_id = ? GROUP BY status, reason") { statement in
            try statement.bind(row.id, at: 1)
            while try statement.step() {
                let n = statement.int(2)
                counts.usersDue += n
                switch statement.text(0) {
                case "pending": counts.usersPending += n
                case "rendered": counts.usersWithDigest += n
                default: counts.usersSkipped[statement.text(1), default: 0] += n
                }
            }
        }
        try connection.withStatement("SELECT state, count(*) FROM digest_messages WHERE run_id = ? GROUP BY state") { statement in
            try statement.bind(row.id, at: 1)
            while try statement.step() {
                let n = statement.int(1)
                counts.messages += n
                switch statement.int(0) {
                case SQLiteMessageState.delivered.rawValue: counts.messagesDelivered += n
                case SQLiteMessageState.failed.rawValue: counts.messagesFailed += n
                default: break
                }
            }
        }
        var run = row.run
        run.counts = counts
        return run
    }
}
