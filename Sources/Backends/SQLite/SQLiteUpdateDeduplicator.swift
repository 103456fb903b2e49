import Core
import Foundation
import Synchronization

/// The embedded `UpdateDeduplicator`: seen `update_id`s with an expiry; an expired id counts as
/// new again. Expired rows are pruned at most once a minute, on the write path.
public final class SQLiteUpdateDeduplicator: UpdateDeduplicator {
    public let database: SQLiteDatabase
    private let clock: any NewsbotClock
    private let lastPrune = Mutex(Date.distantPast)

    public init(database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public func firstSeen(updateID: Int64, ttl: Duration) async throws -> Bool {
        let now = clock.now()
        let prune = lastPrune.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= 60 else { return false }
            last = now
            return true
        }
        return try await database.write { connection in
            if prune { try connection.run("DELETE FROM seen_updates WHERE expires_at <= ?", now) }
            return try connection.run("""
                INSERT INTO seen_updates (update_id, expires_at) VALUES (?1, ?2)
                ON CONFLICT (update_id) DO UPDATE SET expires_at = excluded.expires_at
                WHERE seen_updates.expires_at <= ?3
                """, updateID, now.addingTimeInterval(ttl.timeInterval), now) == 1
        }
    }
}
