import Core
import Foundation
import Logging
import PostgresNIO

extension PostgresSubscriberStore {
    /// Each digest is claimed in `digests` (user, slot, date), then only the messages of the
    /// digests this call claimed are inserted. A digest claimed earlier, or by a concurrent worker
    /// (the claim waits for that worker's commit), keeps its stored messages, read back afterwards
    /// in a fresh snapshot. Per batch: one claim statement, one insert.
    public func saveDigestMessages(_ messages: [DigestMessage]) async throws -> [DigestMessage] {
        guard !messages.isEmpty else { return [] }
        // Per digest, parts by number; a repeated key: the last one wins.
        var digests: [DigestID: [Int: DigestMessage]] = [:]
        for message in messages { digests[DigestID(message.key), default: [:]][message.key.part] = message }
        let parts = digests.mapValues { byPart in byPart.keys.sorted().map { byPart[$0]! } }
        let ordered = parts.keys.sorted()
        let logger = self.logger
        let batches = batchDigests(ordered, parts: parts)
        return try await writing("save digest messages") { client in
            try await client.withTransaction(logger: logger) { connection -> [DigestMessage] in
                var claimed = Set<DigestID>()
                for batch in batches {
                    let won = try await Self.claim(batch, on: connection, logger: logger)
                    claimed.formUnion(won)
                    let fresh = batch.filter { won.contains($0) }.flatMap { parts[$0]! }
                    if !fresh.isEmpty { try await Self.insert(fresh, on: connection, logger: logger) }
                }
                let existing = ordered.filter { !claimed.contains($0) }
                var stored: [DigestID: [DigestMessage]] = [:]
                if !existing.isEmpty {
                    for message in try await Self.storedMessages(of: existing, on: connection, logger: logger) {
                        stored[DigestID(message.key), default: []].append(message)
                    }
                }
                return ordered.flatMap { id in claimed.contains(id) ? parts[id]! : stored[id] ?? [] }
            }
        }
    }

    public func digestMessage(_ key: DeliveryKey) async throws -> DigestMessage? {
        let query: PostgresQuery = """
            SELECT \(unescaped: PostgresRows.messageColumns) FROM digest_messages m
            WHERE m.user_id = \(key.userID) AND m.slot = \(PostgresRows.minutes(key.slot))
              AND m.local_date = \(key.date.description)::date AND m.part = \(key.part)
            """
        return try await reading("read digest message", .primary, query) { rows in
            for row in try rows.decode(PostgresRows.MessageRow.self) {
                return try PostgresRows.message(row)
            }
            return nil
        }
    }

    public func undeliveredMessages(_ run: SlotRunKey, afterUserID: Int64?, limit: Int) async throws -> [DigestMessage] {
        guard limit > 0 else { return [] }
        // The page is the first `limit` rows, completed with the rest of its last user's parts
        // (a page never splits a user), in one statement.
        let query: PostgresQuery = """
            SELECT \(unescaped: PostgresRows.messageColumns) FROM digest_messages m
            WHERE m.run_pipeline = \(run.pipeline) AND m.run_slot = \(PostgresRows.minutes(run.slot))
              AND m.run_date = \(run.date.description)::date
              AND m.delivered_at IS NULL AND m.failure IS NULL AND m.user_id > \(afterUserID ?? Int64.min)
              AND m.user_id <= (
                SELECT max(p.user_id) FROM (
                    SELECT o.user_id FROM digest_messages o
                    WHERE o.run_pipeline = \(run.pipeline) AND o.run_slot = \(PostgresRows.minutes(run.slot))
                      AND o.run_date = \(run.date.description)::date
                      AND o.delivered_at IS NULL AND o.failure IS NULL AND o.user_id > \(afterUserID ?? Int64.min)
                    ORDER BY o.user_id, o.part LIMIT \(limit)
                ) p)
            ORDER BY m.user_id, m.part
            """
        // Primary: a resumed run re-enqueues exactly what is still unsent.
        return try await reading("undelivered messages", .primary, query) { rows in
            var messages: [DigestMessage] = []
            for row in try rows.decode(PostgresRows.MessageRow.self) {
                messages.append(try PostgresRows.message(row))
            }
            return messages
        }
    }

    public func markDelivered(_ key: DeliveryKey, at now: Date) async throws -> Bool {
        try await writing("mark delivered") { client in
            let rows = try await client.fetch("""
                UPDATE digest_messages SET delivered_at = \(now), failure = NULL
                WHERE user_id = \(key.userID) AND slot = \(PostgresRows.minutes(key.slot))
                  AND local_date = \(key.date.description)::date AND part = \(key.part) AND delivered_at IS NULL
                RETURNING 1
                """, logger: logger)
            var updated = false
            for _ in try rows.decode(Int.self) { updated = true }
            return updated
        }
    }

    public func markFailed(_ key: DeliveryKey, reason: String, at now: Date) async throws {
        try await writing("mark failed") { client in
            try await client.fetch("""
                UPDATE digest_messages SET failure = \(reason)
                WHERE user_id = \(key.userID) AND slot = \(PostgresRows.minutes(key.slot))
                  AND local_date = \(key.date.description)::date AND part = \(key.part) AND delivered_at IS NULL
                """, logger: logger)
        }
    }

    public func deliveredURLs(userIDs: [Int64], since: Date) async throws -> [Int64: Set<String>] {
        guard !userIDs.isEmpty else { return [:] }
        let ids = Array(Set(userIDs)).sorted()
        // A delivered message without URLs still lists its user (with no URLs), as in memory.
        let query: PostgresQuery = """
            SELECT DISTINCT m.user_id, u.url
            FROM unnest(\(PostgresArrayLiteral.integers(ids))::int8[]) AS q(user_id)
            JOIN digest_messages m ON m.user_id = q.user_id
            LEFT JOIN LATERAL unnest(m.urls) AS u(url) ON true
            WHERE m.delivered_at >= \(since)
            """
        return try await reading("delivered urls", laggingReads, query) { rows in
            var result: [Int64: Set<String>] = [:]
            for (userID, url) in try rows.decode((Int64, String?).self) {
                if let url { result[userID, default: []].insert(url) } else if result[userID] == nil { result[userID] = [] }
            }
            return result
        }
    }

    /// Groups digests into statements of about `batchSize` messages and at most ~8 MB of text,
    /// never splitting a digest (its claim and its parts must go together).
    private func batchDigests(_ ordered: [DigestID], parts: [DigestID: [DigestMessage]]) -> [[DigestID]] {
        var batches: [[DigestID]] = []
        var current: [DigestID] = []
        var count = 0, bytes = 0
        for id in ordered {
            let messages = parts[id]!
            let size = messages.reduce(0) { $0 + $1.text.utf8.count + $1.urls.reduce(0) { $0 + $1.utf8.count } }
            if !current.isEmpty, count + messages.count > batchSize || bytes + size > 8 << 20 {
                batches.append(current)
                current = []
                count = 0
                bytes = 0
            }
            current.append(id)
            count += messages.count
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Claims `digests` (ascending, so concurrent savers lock in one order); returns those this call claimed.
    private static func claim(_ digests: [DigestID], on connection: PostgresConnection,
                              logger: Logger) async throws -> Set<DigestID> {
        let userIDs = digests.map(\.userID)
        let slots = digests.map { PostgresRows.minutes($0.slot) }
        let dates = digests.map(\.date.description)
        let rows = try await connection.fetch("""
            INSERT INTO digests (user_id, slot, local_date)
            SELECT * FROM unnest(\(PostgresArrayLiteral.integers(userIDs))::int8[], \(PostgresArrayLiteral.integers(slots))::int2[],
                                 \(PostgresArrayLiteral.text(dates))::date[])
            ORDER BY 1, 2, 3
            ON CONFLICT DO NOTHING
            RETURNING user_id, slot, to_char(local_date, 'YYYY-MM-DD')
            """, logger: logger)
        var claimed = Set<DigestID>()
        for (userID, slot, date) in try rows.decode((Int64, Int16, String).self) {
            claimed.insert(DigestID(userID: userID, slot: try PostgresRows.slot(slot), date: try PostgresRows.date(date)))
        }
        return claimed
    }

    /// Inserts messages of digests just claimed: one statement, one row per message.
    private static func insert(_ messages: [DigestMessage], on connection: PostgresConnection, logger: Logger) async throws {
        var userIDs: [Int64] = [], slots: [Int16] = [], dates: [String] = [], partNumbers: [Int] = []
        var runPipelines: [String] = [], runSlots: [Int16] = [], runDates: [String] = []
        var chatIDs: [Int64] = [], partCounts: [Int] = [], texts: [String] = [], urls: [String] = []
        var deliveredAt: [Date?] = [], failures: [String?] = []
        for message in messages {
            userIDs.append(message.key.userID)
            slots.append(PostgresRows.minutes(message.key.slot))
            dates.append(message.key.date.description)
            partNumbers.append(message.key.part)
            runPipelines.append(message.run.pipeline)
            runSlots.append(PostgresRows.minutes(message.run.slot))
            runDates.append(message.run.date.description)
            chatIDs.append(message.chatID)
            partCounts.append(message.parts)
            texts.append(message.text)
            urls.append(PostgresArrayLiteral.text(message.urls))
            deliveredAt.append(message.deliveredAt)
            failures.append(message.failure)
        }
        try await connection.fetch("""
            INSERT INTO digest_messages (user_id, slot, local_date, part, run_pipeline, run_slot, run_date,
                                         chat_id, parts, text, urls, delivered_at, failure)
            SELECT m.user_id, m.slot, m.local_date, m.part, m.run_pipeline, m.run_slot, m.run_date,
                   m.chat_id, m.parts, m.text, m.urls::text[],
                   TIMESTAMPTZ '2000-01-01 00:00:00+00' + m.delivered_at * INTERVAL '1 microsecond', m.failure
            FROM unnest(\(PostgresArrayLiteral.integers(userIDs))::int8[], \(PostgresArrayLiteral.integers(slots))::int2[],
                        \(PostgresArrayLiteral.text(dates))::date[], \(PostgresArrayLiteral.integers(partNumbers))::int4[],
                        \(PostgresArrayLiteral.text(runPipelines))::text[], \(PostgresArrayLiteral.integers(runSlots))::int2[],
                        \(PostgresArrayLiteral.text(runDates))::date[], \(PostgresArrayLiteral.integers(chatIDs))::int8[],
                        \(PostgresArrayLiteral.integers(partCounts))::int4[], \(PostgresArrayLiteral.text(texts))::text[],
                        \(PostgresArrayLiteral.text(urls))::text[], \(PostgresArrayLiteral.microseconds(deliveredAt))::int8[],
                        \(PostgresArrayLiteral.text(failures))::text[])
                AS m(user_id, slot, local_date, part, run_pipeline, run_slot, run_date, chat_id, parts, text, urls,
                     delivered_at, failure)
            """, logger: logger)
    }

    /// The stored messages of `digests`, by digest and part.
    private static func storedMessages(of digests: [DigestID], on connection: PostgresConnection,
                                       logger: Logger) async throws -> [DigestMessage] {
        let userIDs = digests.map(\.userID)
        let slots = digests.map { PostgresRows.minutes($0.slot) }
        let dates = digests.map(\.date.description)
        let rows = try await connection.fetch("""
            SELECT \(unescaped: PostgresRows.messageColumns)
            FROM digest_messages m
            JOIN unnest(\(PostgresArrayLiteral.integers(userIDs))::int8[], \(PostgresArrayLiteral.integers(slots))::int2[],
                        \(PostgresArrayLiteral.text(dates))::date[]) AS d(user_id, slot, local_date)
              ON m.user_id = d.user_id AND m.slot = d.slot AND m.local_date = d.local_date
            ORDER BY m.user_id, m.slot, m.local_date, m.part
            """, logger: logger)
        var messages: [DigestMessage] = []
        for row in try rows.decode(PostgresRows.MessageRow.self) { messages.append(try PostgresRows.message(row)) }
        return messages
    }
}
