import Core
import Foundation

/// The embedded `SubscriberStore`: subscribers, slot runs and the delivery ledger in SQLite.
///
/// Bulk calls (`upsert`, `addRunUsers`, `saveDigestMessages`) run in one `BEGIN IMMEDIATE`
/// transaction with cached prepared statements, so 100k rows cost one lock and one commit. Run
/// progress is counted by SQL from covering indexes, never by loading rows.
public final class SQLiteSubscriberStore: SubscriberStore {
    public let database: SQLiteDatabase
    /// Creation time of runs made implicitly when messages name a run not created yet.
    let clock: any NewsbotClock

    public init(database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    // MARK: subscribers

    public func upsert(_ subscribers: [Subscriber]) async throws {
        guard !subscribers.isEmpty else { return }
        try await database.write { connection in
            try Self.write(subscribers, connection)
        }
    }

    public func subscriber(id: Int64) async throws -> Subscriber? {
        try await database.read { connection in
            var decoder = SQLiteSubscriberDecoder()
            return try connection.first("SELECT \(SQLiteSubscriberDecoder.columns) FROM subscribers WHERE id = ?", id) {
                decoder.decode($0)
            }
        }
    }

    /// Optimistic: reads, applies `change` here (the closure may not escape into the database
    /// queue), then writes only if the row is still what was read, retrying otherwise.
    public func update(id: Int64, _ change: @Sendable (inout Subscriber) -> Void) async throws -> Subscriber? {
        while true {
            guard let original = try await subscriber(id: id) else { return nil }
            var changed = original
            change(&changed)
            // Re-normalise slots and topics; the id is the row's, whatever the closure did.
            let updated = Subscriber(id: id, chatID: changed.chatID, language: changed.language, timeZone: changed.timeZone,
                                     status: changed.status, slots: changed.slots, topics: changed.topics)
            let written = try await database.write { connection -> Bool? in
                var decoder = SQLiteSubscriberDecoder()
                guard let current = try connection.first(
                    "SELECT \(SQLiteSubscriberDecoder.columns) FROM subscribers WHERE id = ?", id, row: { decoder.decode($0) })
                else { return nil }
                guard current == original else { return false }
                if updated != original { try Self.write([updated], connection) }
                return true
            }
            switch written {
            case nil: return nil
            case true?: return updated
            case false?: continue
            }
        }
    }

    public func dueSubscribers(slot: Slot, timeZones: Set<String>?, afterID: Int64?, limit: Int) async throws -> [Subscriber] {
        guard limit > 0 else { return [] }
        let after = afterID ?? Int64.min
        let zones = try timeZones.map { String(decoding: try JSONEncoder().encode($0.sorted()), as: UTF8.self) }
        return try await database.read { connection in
            let select = """
                SELECT \(SQLiteSubscriberDecoder.columns("s")) FROM subscriber_slots ss
                JOIN subscribers s ON s.id = ss.subscriber_id
                WHERE ss.slot = ?1 AND ss.active = 1 AND ss.subscriber_id > ?2
                """
            var decoder = SQLiteSubscriberDecoder()
            if let zones {
                return try connection.query(select + " AND ss.time_zone IN (SELECT value FROM json_each(?4)) ORDER BY ss.subscriber_id LIMIT ?3",
                                            slot.minuteOfDay, after, limit, zones) { decoder.decode($0) }
            }
            return try connection.query(select + " ORDER BY ss.subscriber_id LIMIT ?3", slot.minuteOfDay, after, limit) {
                decoder.decode($0)
            }
        }
    }

    public func scheduleEntries() async throws -> [ScheduleEntry] {
        try await database.read { connection in
            try connection.query("SELECT DISTINCT time_zone, slot FROM subscriber_slots WHERE active = 1 ORDER BY time_zone, slot") { row in
                let minute = row.int(1)
                return ScheduleEntry(timeZone: row.text(0), slot: Slot(hour: minute / 60, minute: minute % 60)!)
            }
        }
    }

    public func subscriberCount() async throws -> Int {
        try await database.read { connection in
            try connection.first("SELECT count(*) FROM subscribers") { $0.int(0) } ?? 0
        }
    }

    // MARK: rows

    /// Inserts or replaces subscribers and rewrites their slot rows, with the three statements
    /// prepared once for the whole batch.
    static func write(_ subscribers: [Subscriber], _ connection: SQLiteConnection) throws {
        try connection.withStatement("""
            INSERT INTO subscribers (id, chat_id, language, time_zone, status, slots, topics)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id, language = excluded.language,
                time_zone = excluded.time_zone, status = excluded.status, slots = excluded.slots,
                topics = excluded.topics
            """) { upsert in
            try connection.withStatement("DELETE FROM subscriber_slots WHERE subscriber_id = ?") { clearSlots in
                try connection.withStatement(
                    "INSERT INTO subscriber_slots (slot, subscriber_id, time_zone, active) VALUES (?1, ?2, ?3, ?4)") { addSlot in
                    for subscriber in subscribers {
                        try upsert.bind(subscriber.id, at: 1)
                        try upsert.bind(subscriber.chatID, at: 2)
                        try upsert.bind(subscriber.language.rawValue, at: 3)
                        try subscriber.timeZone.bind(to: upsert, at: 4)
                        try upsert.bind(subscriber.status.rawValue, at: 5)
                        try upsert.bind(subscriber.slots.map(\.description).joined(separator: ","), at: 6)
                        try upsert.bind(SQLiteListCodec.encode(subscriber.topics.map(\.name)), at: 7)
                        try upsert.step()
                        upsert.rewind()
                        try clearSlots.bind(subscriber.id, at: 1)
                        try clearSlots.step()
                        clearSlots.rewind()
                        for slot in subscriber.slots {
                            try addSlot.bind(slot.minuteOfDay, at: 1)
                            try addSlot.bind(subscriber.id, at: 2)
                            // Subscribers without a zone are due by UTC, as the scheduler sees them.
                            try addSlot.bind(subscriber.timeZone ?? "UTC", at: 3)
                            try addSlot.bind(subscriber.status == .active ? 1 : 0, at: 4)
                            try addSlot.step()
                            addSlot.rewind()
                        }
                    }
                }
            }
        }
    }
}
