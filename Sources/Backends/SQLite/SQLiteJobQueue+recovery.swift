import Core
import Foundation
import Synchronization

extension SQLiteJobQueue {
    /// Makes jobs leased by vanished consumers visible again now, keeping their attempt count;
    /// returns how many. A consumer has vanished when its process on this host is gone (SIGKILL,
    /// crash) or it never registered; with `olderThan`, leases taken that long ago or more by any
    /// other consumer are released too (for operators who know the other processes are stopped).
    /// `receive` runs the process check on its own every `recoveryInterval`.
    @discardableResult
    public func recoverAbandoned(olderThan: Duration? = nil) async throws -> Int {
        let now = clock.now()
        let instance = instance
        lastRecovery.withLock { $0 = now }
        return try await database.write { connection in
            try Self.recover(connection, instance: instance, now: now, olderThan: olderThan)
        }
    }

    func shouldRecover(at now: Date) -> Bool {
        guard let interval = configuration.recoveryInterval else { return false }
        return lastRecovery.withLock { last in
            guard now.timeIntervalSince(last) >= interval.timeInterval || last > now else { return false }
            last = now
            return true
        }
    }

    /// Registers this queue instance as a lease owner (idempotent).
    static func register(_ instance: SQLiteQueueInstance, _ connection: SQLiteConnection, now: Date) throws {
        try connection.run("""
            INSERT INTO queue_consumers (owner, host, pid, process_start, started_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (owner) DO NOTHING
            """, instance.id, instance.host, Int(instance.pid), instance.processStart, now)
    }

    /// Runs inside a write transaction.
    static func recover(_ connection: SQLiteConnection, instance: SQLiteQueueInstance, now: Date,
                        olderThan: Duration?) throws -> Int {
        let consumers = try connection.query("SELECT owner, host, pid, process_start FROM queue_consumers WHERE owner <> ?",
                                             instance.id) { row in
            SQLiteQueueInstance(id: row.text(0), host: row.text(1), pid: Int32(truncatingIfNeeded: row.int64(2)),
                                processStart: row.int64(3))
        }
        var released = 0
        for consumer in consumers where instance.knowsDead(consumer) {
            released += try connection.run("""
                UPDATE jobs SET lease_owner = NULL, lease_token = NULL, leased_at = NULL, visible_at = min(visible_at, ?2)
                WHERE lease_owner = ?1
                """, consumer.id, now)
            try connection.run("DELETE FROM queue_consumers WHERE owner = ?", consumer.id)
        }
        // Leases of owners nobody registered (a row removed by hand, an older version).
        released += try connection.run("""
            UPDATE jobs SET lease_owner = NULL, lease_token = NULL, leased_at = NULL, visible_at = min(visible_at, ?1)
            WHERE lease_owner IS NOT NULL AND lease_owner NOT IN (SELECT owner FROM queue_consumers)
              AND lease_owner <> ?2
            """, now, instance.id)
        if let olderThan {
            released += try connection.run("""
                UPDATE jobs SET lease_owner = NULL, lease_token = NULL, leased_at = NULL, visible_at = min(visible_at, ?1)
                WHERE lease_owner IS NOT NULL AND lease_owner <> ?2 AND leased_at <= ?3
                """, now, instance.id, now.addingTimeInterval(-olderThan.timeInterval))
        }
        return released
    }
}
