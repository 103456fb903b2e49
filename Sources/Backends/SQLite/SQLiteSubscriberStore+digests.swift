import Core
import Foundation

extension SQLiteSubscriberStore {
    /// One user's digest for one (slot, local date): the unit that is stored whole or not at all.
    private struct DigestID: Hashable {
        var userID: Int64
        var slot: Slot
        var date: LocalDate
    }

    public func saveDigestMessages(_ messages: [DigestMessage]) async throws -> [DigestMessage] {
        guard !messages.isEmpty else { return [] }
        let now = clock.now()
        // Group by digest, keeping the caller's order of first appearance then sorting by user.
        var groups: [DigestID: [DigestMessage]] = [:]
        var order: [DigestID] = []
        for message in messages {
            let id = DigestID(userID: message.key.userID, slot: message.key.slot, date: message.key.date)
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(message)
        }
        order.sort { ($0.userID, $0.slot, $0.date) < ($1.userID, $1.slot, $1.date) }
        let digests = order.map { ($0, groups[$0]!.sorted { $0.key.part < $1.key.part }) }
        // Encoded here, on the caller's task, so the single writer connection only binds and steps.
        let encodedURLs = digests.map { $0.1.map { SQLiteListCodec.encode($0.urls) } }
        return try await database.write { connection in
            var runIDs: [SlotRunKey: Int64] = [:]
            var lastRun: (key: SlotRunKey, id: Int64)?
            var dates = SQLiteDateText()
            var result: [DigestMessage] = []
            result.reserveCapacity(messages.count)
            try connection.withStatement("""
                SELECT 1 FROM digest_messages WHERE user_id = ?1 AND slot = ?2 AND local_date = ?3 LIMIT 1
                """) { exists in
                try connection.withStatement("""
                    INSERT INTO digest_messages
                        (user_id, slot, local_date, part, run_id, chat_id, parts, text, urls, state, delivered_at, failure)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                    ON CONFLICT (user_id, slot, local_date, part) DO NOTHING
                    """) { insert in
                    for ((digest, parts), urls) in zip(digests, encodedURLs) {
                        let date = dates.text(digest.date)
                        try exists.bind(digest.userID, at: 1)
                        try exists.bind(digest.slot.minuteOfDay, at: 2)
                        try exists.bind(date, at: 3)
                        let stored = try exists.step()
                        exists.rewind()
                        if stored {
                            // Existing wins: a re-render after a crash must not change what is sent.
                            result += try Self.storedDigest(digest.userID, digest.slot, date, connection)
                            continue
                        }
                        var inserted = 0
                        for (message, urls) in zip(parts, urls) {
                            // Messages of one batch nearly always share their run: compare before hashing.
                            let runID: Int64
                            if let lastRun, lastRun.key == message.run {
                                runID = lastRun.id
                            } else {
                                runID = try runIDs[message.run] ?? Self.ensureRun(message.run, at: now, connection)
                                runIDs[message.run] = runID
                                lastRun = (message.run, runID)
                            }
                            try Self.bind(message, date: date, runID: runID, urls: urls, to: insert)
                            try insert.step()
                            insert.rewind()
                            inserted += connection.changes
                        }
                        // Duplicate keys inside the batch: report what was actually stored.
                        result += inserted == parts.count ? parts : try Self.storedDigest(digest.userID, digest.slot, date, connection)
                    }
                }
            }
            return result
        }
    }

    public func digestMessage(_ key: DeliveryKey) async throws -> DigestMessage? {
        try await database.read { connection in
            try connection.first("""
                SELECT \(Self.messageColumns) FROM digest_messages m JOIN slot_runs r ON r.id = m.run_id
                WHERE m.user_id = ?1 AND m.slot = ?2 AND m.local_date = ?3 AND m.part = ?4
                """, key.userID, key.slot.minuteOfDay, key.date.description, key.part, row: Self.message)
        }
    }

    public func undeliveredMessages(_ run: SlotRunKey, afterUserID: Int64?, limit: Int) async throws -> [DigestMessage] {
        guard limit > 0 else { return [] }
        return try await database.snapshot { connection in
            guard let runID = try Self.runID(run, connection) else { return [] }
            var page = try connection.query("""
                SELECT \(Self.messageColumns) FROM digest_messages m JOIN slot_runs r ON r.id = m.run_id
                WHERE m.run_id = ?1 AND m.state = 0 AND m.user_id > ?2
                ORDER BY m.user_id, m.part LIMIT ?3
                """, runID, afterUserID ?? Int64.min, limit, row: Self.message)
            // Never split a user's parts across pages: the next page starts after this user.
            if page.count == limit, let last = page.last {
                page += try connection.query("""
                    SELECT \(Self.messageColumns) FROM digest_messages m JOIN slot_runs r ON r.id = m.run_id
                    WHERE m.run_id = ?1 AND m.state = 0 AND m.user_id = ?2 AND m.part > ?3
                    ORDER BY m.part
                    """, runID, last.key.userID, last.key.part, row: Self.message)
            }
            return page
        }
    }

    public func markDelivered(_ key: DeliveryKey, at now: Date) async throws -> Bool {
        try await database.write { connection in
            try connection.run("""
                UPDATE digest_messages SET state = 1, delivered_at = ?5, failure = NULL
                WHERE user_id = ?1 AND slot = ?2 AND local_date = ?3 AND part = ?4 AND delivered_at IS NULL
                """, key.userID, key.slot.minuteOfDay, key.date.description, key.part, now) == 1
        }
    }

    public func markFailed(_ key: DeliveryKey, reason: String, at now: Date) async throws {
        try await database.write { connection in
            try connection.run("""
                UPDATE digest_messages SET state = 2, failure = ?5
                WHERE user_id = ?1 AND slot = ?2 AND local_date = ?3 AND part = ?4 AND delivered_at IS NULL
                """, key.userID, key.slot.minuteOfDay, key.date.description, key.part, reason)
        }
    }

    public func deliveredURLs(userIDs: [Int64], since: Date) async throws -> [Int64: Set<String>] {
        guard !userIDs.isEmpty else { return [:] }
        let ids = "[" + userIDs.map(String.init).joined(separator: ",") + "]"
        return try await database.read { connection in
            var result: [Int64: Set<String>] = [:]
            try connection.withStatement("""
                SELECT user_id, urls FROM digest_messages
                WHERE user_id IN (SELECT value FROM json_each(?1)) AND delivered_at >= ?2
                """) { statement in
                try statement.bind(ids, at: 1)
                try statement.bind(since, at: 2)
                while try statement.step() {
                    result[statement.int64(0), default: []].formUnion(SQLiteListCodec.decode(statement.text(1)))
                }
            }
            return result
        }
    }

    // MARK: rows

    static let messageColumns = """
        m.user_id, m.slot, m.local_date, m.part, r.pipeline, r.slot, r.local_date, m.chat_id, m.parts, m.text, m.urls,
        m.delivered_at, m.failure
        """

    static func message(_ row: SQLiteStatement) throws -> DigestMessage {
        guard let slot = slot(row.int(1)), let date = SQLiteDateParser.date(row.text(2)),
              let runSlot = self.slot(row.int(5)), let runDate = SQLiteDateParser.date(row.text(6)) else {
            throw SQLiteError(code: 0, operation: "decode a digest message row")
        }
        return DigestMessage(key: DeliveryKey(userID: row.int64(0), slot: slot, date: date, part: row.int(3)),
                             run: SlotRunKey(pipeline: row.text(4), slot: runSlot, date: runDate),
                             chatID: row.int64(7), parts: row.int(8), text: row.text(9),
                             urls: SQLiteListCodec.decode(row.text(10)),
                             deliveredAt: row.optionalDate(11), failure: row.optionalText(12))
    }

    static func slot(_ minuteOfDay: Int) -> Slot? { Slot(hour: minuteOfDay / 60, minute: minuteOfDay % 60) }

    private static func storedDigest(_ userID: Int64, _ slot: Slot, _ date: String,
                                     _ connection: SQLiteConnection) throws -> [DigestMessage] {
        try connection.query("""
            SELECT \(messageColumns) FROM digest_messages m JOIN slot_runs r ON r.id = m.run_id
            WHERE m.user_id = ?1 AND m.slot = ?2 AND m.local_date = ?3 ORDER BY m.part
            """, userID, slot.minuteOfDay, date, row: message)
    }

    /// The run's id, creating the run when messages arrive for one not created yet.
    private static func ensureRun(_ key: SlotRunKey, at now: Date, _ connection: SQLiteConnection) throws -> Int64 {
        if let id = try runID(key, connection) { return id }
        try connection.run("INSERT INTO slot_runs (pipeline, slot, local_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                           key.pipeline, key.slot.minuteOfDay, key.date.description, now)
        return connection.lastInsertRowID
    }

    /// - Parameter urls: `message.urls` encoded with `SQLiteListCodec`.
    private static func bind(_ message: DigestMessage, date: String, runID: Int64, urls: String,
                             to statement: SQLiteStatement) throws {
        let state: SQLiteMessageState = message.deliveredAt != nil ? .delivered : message.failure != nil ? .failed : .pending
        try statement.bind(message.key.userID, at: 1)
        try statement.bind(message.key.slot.minuteOfDay, at: 2)
        try statement.bind(date, at: 3)
        try statement.bind(message.key.part, at: 4)
        try statement.bind(runID, at: 5)
        try statement.bind(message.chatID, at: 6)
        try statement.bind(message.parts, at: 7)
        try statement.bind(message.text, at: 8)
        try statement.bind(urls, at: 9)
        try statement.bind(state.rawValue, at: 10)
        try message.deliveredAt.bind(to: statement, at: 11)
        try message.failure.bind(to: statement, at: 12)
    }
}
