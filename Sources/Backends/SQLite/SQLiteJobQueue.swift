import Core
import Foundation
import Synchronization

/// The embedded, durable `JobQueue`: jobs are rows in the `jobs` table, taken with an atomic
/// `UPDATE … RETURNING` inside `BEGIN IMMEDIATE` that sets a lease (owner, token, end).
///
/// A job leased but never acked becomes visible again when its lease ends (its `visible_at` *is*
/// the lease end), and at once when its owner's process is known to be gone (see
/// `SQLiteQueueInstance`), so `newsbot pipeline run` after a SIGKILL resumes without waiting out
/// the visibility timeout. Several processes may share one file: the write lock serialises takes,
/// so no job is handed to two consumers while its lease holds.
public final class SQLiteJobQueue: JobQueue {
    public let database: SQLiteDatabase
    public let configuration: Configuration
    /// This queue's identity as a lease owner.
    public let instance: SQLiteQueueInstance
    let clock: any NewsbotClock
    /// When `receive` last took back abandoned leases.
    let lastRecovery = Mutex(Date.distantPast)
    /// Whether this instance's row in `queue_consumers` exists (written with its first take).
    let registered = Mutex(false)

    public init(database: SQLiteDatabase, configuration: Configuration = .init(),
                instance: SQLiteQueueInstance = .current(), clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.configuration = configuration
        self.instance = instance
        self.clock = clock
    }

    public func push(_ payloads: [Data], to queue: QueueName, delay: Duration) async throws {
        guard !payloads.isEmpty else { return }
        let now = clock.now()
        let visibleAt = now.addingTimeInterval(max(0, delay.timeInterval))
        // Job ids: one random 128-bit prefix per push plus the index, unique without a UUID per job.
        let prefix = String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16)
        try await database.write { connection in
            try connection.withStatement("""
                INSERT INTO jobs (id, queue, payload, attempt, enqueued_at, visible_at) VALUES (?1, ?2, ?3, 0, ?4, ?5)
                """) { statement in
                try statement.bind(queue.rawValue, at: 2)
                try statement.bind(now, at: 4)
                try statement.bind(visibleAt, at: 5)
                for (index, payload) in payloads.enumerated() {
                    try statement.bind("\(prefix)-\(index)", at: 1)
                    try statement.bind(payload, at: 3)
                    try statement.step()
                    statement.rewind()
                }
            }
        }
    }

    public func receive(from queue: QueueName, max: Int, wait: Duration) async throws -> [ReceivedJob] {
        guard max > 0 else { return [] }
        let deadline = ContinuousClock.now.advanced(by: wait)
        var pause = configuration.minimumPoll
        var probe = false
        while true {
            // The first attempt goes straight for the jobs; polls after an empty one look first.
            let jobs = try await take(from: queue, max: max, probe: probe)
            probe = true
            if !jobs.isEmpty || ContinuousClock.now >= deadline { return jobs }
            try await Task.sleep(for: min(pause, deadline - ContinuousClock.now))
            pause = min(pause * 2, configuration.maximumPoll)
        }
    }

    public func ack(_ job: ReceivedJob) async throws {
        let (seq, token) = try Self.parse(job.receipt)
        try await database.write { connection in
            // A lost lease (expired, taken by another consumer) makes this a no-op: at-least-once.
            try connection.run("DELETE FROM jobs WHERE seq = ?1 AND lease_token = ?2", seq, token)
        }
    }

    public func retry(_ job: ReceivedJob, after delay: Duration, countsAsAttempt: Bool) async throws {
        let (seq, token) = try Self.parse(job.receipt)
        let visibleAt = clock.now().addingTimeInterval(max(0, delay.timeInterval))
        try await database.write { connection in
            try connection.run("""
                UPDATE jobs SET attempt = attempt + ?3, visible_at = ?4, lease_owner = NULL, lease_token = NULL, leased_at = NULL
                WHERE seq = ?1 AND lease_token = ?2
                """, seq, token, countsAsAttempt ? 1 : 0, visibleAt)
        }
    }

    public func deadLetter(_ job: ReceivedJob, reason: String) async throws {
        let (seq, token) = try Self.parse(job.receipt)
        let now = clock.now()
        let reason = Redaction.redact(reason)
        try await database.write { connection in
            let moved = try connection.run("""
                INSERT INTO dead_jobs (queue, id, payload, attempt, reason, failed_at)
                SELECT queue, id, payload, attempt + 1, ?3, ?4 FROM jobs WHERE seq = ?1 AND lease_token = ?2
                """, seq, token, reason, now)
            if moved > 0 { try connection.run("DELETE FROM jobs WHERE seq = ?1 AND lease_token = ?2", seq, token) }
        }
    }

    public func stats(_ queue: QueueName) async throws -> QueueStats {
        let now = clock.now()
        return try await database.read { connection in
            try connection.first("""
                SELECT (SELECT count(*) FROM jobs WHERE queue = ?1 AND visible_at <= ?2),
                       (SELECT count(*) FROM jobs WHERE queue = ?1 AND visible_at > ?2),
                       (SELECT count(*) FROM jobs WHERE lease_owner IS NOT NULL AND queue = ?1 AND visible_at > ?2),
                       (SELECT count(*) FROM dead_jobs WHERE queue = ?1)
                """, queue.rawValue, now) { row in
                QueueStats(ready: row.int(0), inFlight: row.int(2), delayed: row.int(1) - row.int(2), deadLettered: row.int(3))
            } ?? QueueStats()
        }
    }

    public func deadLetters(_ queue: QueueName, limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        return try await database.read { connection in
            try connection.query("""
                SELECT id, payload, attempt, reason, failed_at FROM dead_jobs WHERE queue = ?1 ORDER BY seq LIMIT ?2
                """, queue.rawValue, limit) { row in
                DeadLetter(queue: queue, id: row.text(0), payload: row.blob(1), attempt: row.int(2), reason: row.text(3),
                           failedAt: row.date(4))
            }
        }
    }

    // MARK: taking jobs

    /// One non-blocking attempt. With `probe`, a cheap read on the reader first, so idle polling
    /// never takes the write lock.
    private func take(from queue: QueueName, max: Int, probe: Bool) async throws -> [ReceivedJob] {
        let now = clock.now()
        let recover = shouldRecover(at: now)
        let leaseEnd = now.addingTimeInterval(configuration.visibilityTimeout.timeInterval)
        let token = Int64.random(in: 1...Int64.max)
        let instance = instance
        let register = !registered.withLock { $0 }
        if probe && !recover {
            let anyVisible = try await database.read { connection in
                try connection.first("SELECT 1 FROM jobs WHERE queue = ?1 AND visible_at <= ?2 LIMIT 1",
                                     queue.rawValue, now) { _ in true } ?? false
            }
            guard anyVisible else { return [] }
        }
        let jobs = try await database.write { connection in
            if recover { _ = try Self.recover(connection, instance: instance, now: now, olderThan: nil) }
            if register { try Self.register(instance, connection, now: now) }
            var jobs = try connection.query("""
                UPDATE jobs SET lease_owner = ?1, lease_token = ?2, leased_at = ?3, visible_at = ?4
                WHERE seq IN (SELECT seq FROM jobs WHERE queue = ?5 AND visible_at <= ?3 ORDER BY visible_at, seq LIMIT ?6)
                RETURNING seq, id, payload, attempt, enqueued_at
                """, instance.id, token, now, leaseEnd, queue.rawValue, max) { row in
                (seq: row.int64(0), job: ReceivedJob(queue: queue, id: row.text(1), payload: row.blob(2), attempt: row.int(3),
                                                     enqueuedAt: row.date(4), receipt: "\(row.int64(0)).\(token)"))
            }
            jobs.sort { $0.seq < $1.seq }
            return jobs.map(\.job)
        }
        if register { registered.withLock { $0 = true } }
        return jobs
    }

    /// `seq.token` → its parts.
    static func parse(_ receipt: String) throws -> (seq: Int64, token: Int64) {
        let parts = receipt.split(separator: ".")
        guard parts.count == 2, let seq = Int64(parts[0]), let token = Int64(parts[1]) else {
            throw NewsbotError(.invalidInput, "not a SQLite job receipt")
        }
        return (seq, token)
    }
}
