import Core
import Foundation
import Synchronization

/// The embedded `NewsCache`: fetched news with an expiry, and the single-flight lock as an
/// owner-checked row that one upsert takes when free, expired or already held by the same owner.
/// Several processes on one file share both.
public final class SQLiteNewsCache: NewsCache {
    public let database: SQLiteDatabase
    private let clock: any NewsbotClock
    private let lastPrune = Mutex(Date.distantPast)

    public init(database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public func value(forKey key: String) async throws -> Data? {
        let now = clock.now()
        return try await database.read { connection in
            try connection.first("SELECT value FROM news_cache WHERE key = ?1 AND expires_at > ?2", key, now) { $0.blob(0) }
        }
    }

    public func store(_ value: Data, forKey key: String, ttl: Duration) async throws {
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(ttl.timeInterval)
        let prune = lastPrune.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= 60 || last > now else { return false }
            last = now
            return true
        }
        try await database.write { connection in
            // Expired values are pruned at most once a minute, so the table stays one row per live query.
            if prune { try connection.run("DELETE FROM news_cache WHERE expires_at <= ?", now) }
            try connection.run("""
                INSERT INTO news_cache (key, value, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                """, key, value, expiresAt)
        }
    }

    public func lock(_ key: String, owner: String, ttl: Duration) async throws -> Bool {
        let now = clock.now()
        return try await database.write { connection in
            try connection.run("""
                INSERT INTO news_locks (key, owner, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE news_locks.expires_at <= ?4 OR news_locks.owner = excluded.owner
                """, key, owner, now.addingTimeInterval(ttl.timeInterval), now) == 1
        }
    }

    public func unlock(_ key: String, owner: String) async throws {
        try await database.write { connection in
            try connection.run("DELETE FROM news_locks WHERE key = ?1 AND owner = ?2", key, owner)
        }
    }
}
