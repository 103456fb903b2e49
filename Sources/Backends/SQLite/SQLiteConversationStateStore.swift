import Core
import Foundation

/// The embedded `ConversationStateStore`: one row per chat with a version for compare-and-set
/// and an expiry. Expired or cleared rows are kept as tombstones (expiry in the past) so the next
/// version is always higher than any version handed out before: a stale writer holding an old
/// version can never match a newer state by accident.
public final class SQLiteConversationStateStore: ConversationStateStore {
    public let database: SQLiteDatabase
    private let clock: any NewsbotClock

    public init(database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public func load(chatID: Int64) async throws -> VersionedConversationState? {
        let now = clock.now()
        let row = try await database.read { connection in
            try connection.first("SELECT state, version FROM conversation_states WHERE chat_id = ?1 AND expires_at > ?2",
                                 chatID, now) { ($0.blob(0), $0.int64(1)) }
        }
        guard let (data, version) = row else { return nil }
        return VersionedConversationState(state: try JSONDecoder().decode(ConversationState.self, from: data), version: version)
    }

    public func save(_ state: ConversationState, chatID: Int64, expectedVersion: Int64?, ttl: Duration) async throws -> Int64? {
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(ttl.timeInterval)
        let data = try JSONEncoder().encode(state)
        return try await database.write { connection in
            let stored = try connection.first("SELECT version, expires_at FROM conversation_states WHERE chat_id = ?",
                                              chatID) { (version: $0.int64(0), expiresAt: $0.date(1)) }
            let live = stored.flatMap { $0.expiresAt > now ? $0.version : nil }
            guard live == expectedVersion else { return nil }
            let version = (stored?.version ?? 0) + 1
            try connection.run("""
                INSERT INTO conversation_states (chat_id, version, state, expires_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (chat_id) DO UPDATE SET version = excluded.version, state = excluded.state,
                    expires_at = excluded.expires_at
                """, chatID, version, data, expiresAt)
            return version
        }
    }

    public func clear(chatID: Int64, expectedVersion: Int64?) async throws -> Bool {
        let now = clock.now()
        return try await database.write { connection in
            // A tombstone, not a DELETE: the version counter must survive.
            try connection.run("""
                UPDATE conversation_states SET expires_at = -1e300
                WHERE chat_id = ?1 AND expires_at > ?2 AND (?3 IS NULL OR version = ?3)
                """, chatID, now, expectedVersion) == 1
        }
    }
}
