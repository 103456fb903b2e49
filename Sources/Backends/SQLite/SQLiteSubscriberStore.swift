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
            for subscriber in subscribers { try Self.write(subscriber, connection) }
        }
    }

    public func subscriber(id: Int64) async throws -> Subscriber? {
        try await database.perform { connection in
            try connection.first("SELECT \(Self.subscriberColumns) FROM subscribers WHERE id = ?", id, row: Self.subscriber)
        }
    }

    public func update(id: Int64, _ change: @Sendable (inout Subscriber) -> Void) async throws -> Subscriber? {
        // The closure runs synchronously inside the transaction, before `update` returns.
        try await withoutActuallyEscaping(change) { change in
            try await database.write { connection in
                guard var subscriber = try connection.first(
                    "SELECT \(Self.subscriberColumns) FROM subscribers WHERE id = ?", id, row: Self.subscriber) else { return nil }
                change(&subscriber)
                // Re-normalise slots and topics; the id is the row's, whatever the closure did.
                subscriber = Subscriber(id: id, chatID: subscriber.chatID, language: subscriber.language,
                                        timeZone: subscriber.timeZone, status: subscriber.status,
                                        slots: subscriber.slots, topics: subscriber.topics)
                try Self.write(subscriber, connection)
                return subscriber
            }
        }
    }

    public func dueSubscribers(slot: Slot, timeZones: Set<String>?, afterID: Int64?, limit: Int) async throws -> [Subscriber] {
        guard limit > 0 else { return [] }
        let after = afterID ?? Int64.min
        let zones = try timeZones.map { String(decoding: try JSONEncoder().encode($0.sorted()), as: UTF8.self) }
        return try await database.perform { connection in
            let select = """
                SELECT \(Self.subscriberColumns("s")) FROM subscriber_slots ss
                JOIN subscribers s ON s.id = ss.subscriber_id
                WHERE ss.slot = ?1 AND ss.active = 1 AND ss.subscriber_id > ?2
                """
            if let zones {
                return try connection.query(select + " AND ss.time_zone IN (SELECT value FROM json_each(?4)) ORDER BY ss.subscriber_id LIMIT ?3",
                                            slot.minuteOfDay, after, limit, zones, row: Self.subscriber)
            }
            return try connection.query(select + " ORDER BY ss.subscriber_id LIMIT ?3", slot.minuteOfDay, after, limit,
                                        row: Self.subscriber)
        }
    }

    public func scheduleEntries() async throws -> [ScheduleEntry] {
        try await database.perform { connection in
            try connection.query("SELECT DISTINCT time_zone, slot FROM subscriber_slots WHERE active = 1 ORDER BY time_zone, slot") { row in
                let minute = row.int(1)
                return ScheduleEntry(timeZone: row.text(0), slot: Slot(hour: minute / 60, minute: minute % 60)!)
            }
        }
    }

    public func subscriberCount() async throws -> Int {
        try await database.perform { connection in
            try connection.first("SELECT count(*) FROM subscribers") { $0.int(0) } ?? 0
        }
    }

    // MARK: rows

    static let subscriberColumns = subscriberColumns("subscribers")

    static func subscriberColumns(_ table: String) -> String {
        ["id", "chat_id", "language", "time_zone", "status", "slots", "topics"].map { "\(table).\($0)" }.joined(separator: ", ")
    }

    static func subscriber(_ row: SQLiteStatement) -> Subscriber {
        Subscriber(id: row.int64(0), chatID: row.int64(1),
                   language: Language(rawValue: row.text(2)) ?? .en,
                   timeZone: row.optionalText(3),
                   // An unknown status (written by a newer version) must not start sending.
                   status: UserStatus(rawValue: row.text(4)) ?? .paused,
                   slots: row.text(5).split(separator: ",").compactMap { Slot(String($0)) },
                   topics: SQLiteListCodec.decode(row.text(6)).compactMap(Topic.init))
    }

    /// Inserts or replaces one subscriber and rewrites its slot rows.
    static func write(_ subscriber: Subscriber, _ connection: SQLiteConnection) throws {
        try connection.withStatement("""
            INSERT INTO subscribers (id, chat_id, language, time_zone, status, slots, topics)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id, language = excluded.language,
                time_zone = excluded.time_zone, status = excluded.status, slots = excluded.slots,
                topics = excluded.topics
            """) { statement in
            try statement.bind(subscriber.id, at: 1)
            try statement.bind(subscriber.chatID, at: 2)
            try statement.bind(subscriber.language.rawValue, at: 3)
            try subscriber.timeZone.bind(to: statement, at: 4)
            try statement.bind(subscriber.status.rawValue, at: 5)
            try statement.bind(subscriber.slots.map(\.description).joined(separator: ","), at: 6)
            try statement.bind(SQLiteListCodec.encode(subscriber.topics.map(\.name)), at: 7)
            try statement.step()
        }
        try connection.run("DELETE FROM subscriber_slots WHERE subscriber_id = ?", subscriber.id)
        for slot in subscriber.slots {
            try connection.withStatement(
                "INSERT INTO subscriber_slots (slot, subscriber_id, time_zone, active) VALUES (?1, ?2, ?3, ?4)") { statement in
                try statement.bind(slot.minuteOfDay, at: 1)
                try statement.bind(subscriber.id, at: 2)
                // Subscribers without a zone are due by UTC, as the scheduler sees them.
                try statement.bind(subscriber.timeZone ?? "UTC", at: 3)
                try statement.bind(subscriber.status == .active ? 1 : 0, at: 4)
                try statement.step()
            }
        }
    }
}
