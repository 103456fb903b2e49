import Core
import Logging
import PostgresNIO

extension PostgresSubscriberStore {
    public func upsert(_ subscribers: [Subscriber]) async throws {
        guard !subscribers.isEmpty else { return }
        // Last one wins for repeated ids, as in memory; ascending ids keep lock order stable
        // between concurrent upserts (no deadlocks).
        var latest: [Int64: Subscriber] = [:]
        for subscriber in subscribers { latest[subscriber.id] = subscriber }
        let ordered = latest.values.sorted { $0.id < $1.id }
        let logger = self.logger
        let batchSize = self.batchSize
        try await writing("upsert subscribers") { client in
            try await client.withTransaction(logger: logger) { connection in
                var start = 0
                while start < ordered.count {
                    let end = min(start + batchSize, ordered.count)
                    try await Self.write(ordered[start..<end], on: connection, logger: logger)
                    start = end
                }
            }
        }
    }

    public func subscriber(id: Int64) async throws -> Subscriber? {
        // Primary: a chat reply right after a change must show it (`/topics` after subscribing).
        try await reading("read subscriber", .primary) { client in
            let rows = try await client.query(
                "SELECT \(unescaped: PostgresRows.subscriberColumns("s")) FROM subscribers s WHERE s.id = \(id)")
            for try await row in rows.decode(PostgresRows.SubscriberRow.self) { return try PostgresRows.subscriber(row) }
            return nil
        }
    }

    public func update(id: Int64, _ change: @Sendable (inout Subscriber) -> Void) async throws -> Subscriber? {
        let logger = self.logger
        return try await writing("update subscriber") { client in
            try await client.withTransaction(logger: logger) { connection -> Subscriber? in
                let rows = try await connection.query(
                    "SELECT \(unescaped: PostgresRows.subscriberColumns("s")) FROM subscribers s WHERE s.id = \(id) FOR UPDATE",
                    logger: logger)
                var found: Subscriber?
                for try await row in rows.decode(PostgresRows.SubscriberRow.self) { found = try PostgresRows.subscriber(row) }
                guard var subscriber = found else { return nil }
                change(&subscriber)
                // Normalised like a fresh value: slots and topics sorted and unique.
                subscriber = Subscriber(id: subscriber.id, chatID: subscriber.chatID, language: subscriber.language,
                                        timeZone: subscriber.timeZone, status: subscriber.status,
                                        slots: subscriber.slots, topics: subscriber.topics)
                var stored = subscriber
                stored.id = id
                try await Self.write([stored][...], on: connection, logger: logger)
                return subscriber
            }
        }
    }

    public func dueSubscribers(slot: Slot, timeZones: Set<String>?, afterID: Int64?, limit: Int) async throws -> [Subscriber] {
        guard limit > 0 else { return [] }
        let minutes = PostgresRows.minutes(slot)
        let after = afterID ?? Int64.min
        let query: PostgresQuery
        if let timeZones {
            let zones = timeZones.sorted()
            query = """
                SELECT \(unescaped: PostgresRows.subscriberColumns("s"))
                FROM subscriber_slots d JOIN subscribers s ON s.id = d.subscriber_id
                WHERE d.active AND d.slot = \(minutes) AND d.time_zone = ANY(\(zones)) AND d.subscriber_id > \(after)
                ORDER BY d.subscriber_id LIMIT \(limit)
                """
        } else {
            query = """
                SELECT \(unescaped: PostgresRows.subscriberColumns("s"))
                FROM subscriber_slots d JOIN subscribers s ON s.id = d.subscriber_id
                WHERE d.active AND d.slot = \(minutes) AND d.subscriber_id > \(after)
                ORDER BY d.subscriber_id LIMIT \(limit)
                """
        }
        return try await reading("due subscribers", laggingReads) { client in
            var result: [Subscriber] = []
            result.reserveCapacity(limit)
            for try await row in try await client.query(query).decode(PostgresRows.SubscriberRow.self) {
                result.append(try PostgresRows.subscriber(row))
            }
            return result
        }
    }

    public func scheduleEntries() async throws -> [ScheduleEntry] {
        try await reading("schedule entries", laggingReads) { client in
            var entries: [ScheduleEntry] = []
            let rows = try await client.query("SELECT DISTINCT time_zone, slot FROM subscriber_slots WHERE active")
            for try await (zone, minutes) in rows.decode((String, Int16).self) {
                entries.append(ScheduleEntry(timeZone: zone, slot: try PostgresRows.slot(minutes)))
            }
            return entries.sorted { ($0.timeZone, $0.slot) < ($1.timeZone, $1.slot) }
        }
    }

    public func subscriberCount() async throws -> Int {
        try await reading("count subscribers", laggingReads) { client in
            for try await count in try await client.query("SELECT count(*) FROM subscribers").decode(Int.self) { return count }
            return 0
        }
    }

    /// Upserts one batch and rewrites its rows in `subscriber_slots`: three statements, whatever
    /// the batch size. Slots and topics travel as flat (owner, value) arrays and are regrouped
    /// in order by the server.
    static func write(_ batch: ArraySlice<Subscriber>, on connection: PostgresConnection, logger: Logger) async throws {
        var ids: [Int64] = [], chatIDs: [Int64] = [], languages: [String] = []
        var zones: [String] = [], hasZone: [Bool] = [], statuses: [String] = []
        var slotOwners: [Int64] = [], slots: [Int16] = [], topicOwners: [Int64] = [], topics: [String] = []
        ids.reserveCapacity(batch.count)
        for subscriber in batch {
            ids.append(subscriber.id)
            chatIDs.append(subscriber.chatID)
            languages.append(subscriber.language.rawValue)
            zones.append(subscriber.timeZone ?? "")
            hasZone.append(subscriber.timeZone != nil)
            statuses.append(subscriber.status.rawValue)
            for slot in subscriber.slots {
                slotOwners.append(subscriber.id)
                slots.append(PostgresRows.minutes(slot))
            }
            for topic in subscriber.topics {
                topicOwners.append(subscriber.id)
                topics.append(topic.name)
            }
        }
        try await connection.query("""
            INSERT INTO subscribers (id, chat_id, language, time_zone, status, slots, topics, updated_at)
            SELECT i.id, i.chat_id, i.language, CASE WHEN i.has_zone THEN i.time_zone END, i.status,
                   COALESCE(sl.slots, '{}'), COALESCE(tp.topics, '{}'), now()
            FROM unnest(\(ids)::int8[], \(chatIDs)::int8[], \(languages)::text[], \(zones)::text[],
                        \(hasZone)::bool[], \(statuses)::text[]) AS i(id, chat_id, language, time_zone, has_zone, status)
            LEFT JOIN (SELECT owner, array_agg(slot ORDER BY n) AS slots
                       FROM unnest(\(slotOwners)::int8[], \(slots)::int2[]) WITH ORDINALITY AS x(owner, slot, n)
                       GROUP BY owner) sl ON sl.owner = i.id
            LEFT JOIN (SELECT owner, array_agg(topic ORDER BY n) AS topics
                       FROM unnest(\(topicOwners)::int8[], \(topics)::text[]) WITH ORDINALITY AS x(owner, topic, n)
                       GROUP BY owner) tp ON tp.owner = i.id
            ORDER BY i.id
            ON CONFLICT (id) DO UPDATE SET
                chat_id = EXCLUDED.chat_id, language = EXCLUDED.language, time_zone = EXCLUDED.time_zone,
                status = EXCLUDED.status, slots = EXCLUDED.slots, topics = EXCLUDED.topics, updated_at = EXCLUDED.updated_at
            """, logger: logger)
        try await connection.query("DELETE FROM subscriber_slots WHERE subscriber_id = ANY(\(ids)::int8[])", logger: logger)
        try await connection.query("""
            INSERT INTO subscriber_slots (slot, subscriber_id, time_zone, active)
            SELECT DISTINCT x.slot, x.owner, COALESCE(s.time_zone, 'UTC'), s.status = 'active'
            FROM unnest(\(slotOwners)::int8[], \(slots)::int2[]) AS x(owner, slot)
            JOIN subscribers s ON s.id = x.owner
            """, logger: logger)
    }
}
