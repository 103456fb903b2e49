import Core
import Foundation

/// The embedded `LeaderLock`: a lease row per lock name, shared by every process on the file, so
/// two `newsbot scheduler` processes on one machine still elect one leader.
public final class SQLiteLeaderLock: LeaderLock {
    public let database: SQLiteDatabase
    private let clock: any NewsbotClock

    public init(database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public func acquire(_ name: String, owner: String, lease: Duration) async throws -> Bool {
        let now = clock.now()
        return try await database.write { connection in
            try connection.run("""
                INSERT INTO leader_locks (name, owner, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leader_locks.expires_at <= ?4 OR leader_locks.owner = excluded.owner
                """, name, owner, now.addingTimeInterval(lease.timeInterval), now) == 1
        }
    }

    public func release(_ name: String, owner: String) async throws {
        try await database.write { connection in
            try connection.run("DELETE FROM leader_locks WHERE name = ?1 AND owner = ?2", name, owner)
        }
    }
}
