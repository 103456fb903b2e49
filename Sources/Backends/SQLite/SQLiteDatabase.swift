import CSQLite
import Foundation
import Synchronization

/// One SQLite database shared by every embedded store: WAL journal, `busy_timeout`, foreign
/// keys, `synchronous=NORMAL`, prepared-statement caches, versioned migrations.
///
/// Three connections, each confined to its own serial dispatch queue so no blocking SQLite call
/// ever runs on Swift Concurrency's cooperative pool:
/// - the **writer** runs `write` closures. Writes that arrive while it is busy are group-committed:
///   one `BEGIN IMMEDIATE … COMMIT` for the lot, each closure in its own savepoint so one failure
///   rolls back only itself. Under concurrent load (delivery workers acking and recording
///   deliveries) this turns thousands of commits a second into a few dozen.
/// - the **reader** runs `read` and `snapshot` closures in parallel with the writer (WAL readers never block
///   the writer); a read started after a write returned sees that write.
/// - the **checkpointer** copies the WAL into the database in the background (`SQLiteWALObserver`).
/// A `:memory:` database is private to one connection, so there the writer does everything.
///
/// `@unchecked Sendable` is safe because the connections live inside `SQLiteWorker`s (each only
/// touched on its queue), pending writes sit behind a `Mutex`, and everything else is immutable.
public final class SQLiteDatabase: @unchecked Sendable {
    public let location: SQLiteLocation
    public let configuration: Configuration
    private let writer: SQLiteWorker
    private let reader: SQLiteWorker
    private let pending = Mutex(PendingWrites())

    private struct PendingWrites {
        var requests: [any SQLiteWriteRequest] = []
        /// A drain is queued on the writer and has not taken the requests yet.
        var drainScheduled = false
    }

    /// Writes per group commit at most, so one busy burst cannot hold the write lock for long.
    private static let maximumBatch = 512

    private init(location: SQLiteLocation, configuration: Configuration) {
        self.location = location
        self.configuration = configuration
        let path = location.openPath
        let label = "newsbot.sqlite.\(location)"
        switch location {
        case .memory:
            writer = SQLiteWorker(label: label + ".writer") {
                try Self.connect(path, configuration, cacheKiB: configuration.cacheSizeKiB, observer: nil)
            }
            reader = writer
        case .file:
            let checkpointer = SQLiteWorker(label: label + ".checkpoint") {
                try Self.connect(path, configuration, cacheKiB: 1024, observer: nil)
            }
            let observer = SQLiteWALObserver(checkpointer: checkpointer, thresholdPages: configuration.checkpointPages)
            writer = SQLiteWorker(label: label + ".writer") {
                // The closure keeps the observer alive as long as the connection it observes.
                try Self.connect(path, configuration, cacheKiB: configuration.cacheSizeKiB, observer: observer)
            }
            reader = SQLiteWorker(label: label + ".reader") {
                let connection = try Self.connect(path, configuration, cacheKiB: configuration.cacheSizeKiB, observer: nil)
                try connection.execute("PRAGMA query_only = 1")
                return connection
            }
        }
    }

    /// Opens the database (creating the file and its parent directories), sets the pragmas and,
    /// unless `configuration.migrate` is false, applies pending migrations. Safe to call from
    /// several processes on one file at once.
    public static func open(_ location: SQLiteLocation, configuration: Configuration = .init()) async throws -> SQLiteDatabase {
        if case .file(let path) = location {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw SQLiteError(code: SQLITE_CANTOPEN, operation: "create the database directory", detail: "\(error)")
            }
        }
        let database = SQLiteDatabase(location: location, configuration: configuration)
        try await database.perform { _ in }
        if configuration.migrate { try await database.migrate() }
        return database
    }

    /// Opens `sqlite:PATH` or `sqlite::memory:`.
    public static func open(url: String, configuration: Configuration = .init()) async throws -> SQLiteDatabase {
        guard let location = SQLiteLocation(url: url) else {
            throw SQLiteError(code: SQLITE_MISUSE, operation: "parse DATABASE_URL (expected sqlite:PATH or sqlite::memory:)")
        }
        return try await open(location, configuration: configuration)
    }

    // MARK: running work

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction on the writer — the write lock is taken up
    /// front (waiting up to the busy timeout for other processes), so the transaction never fails
    /// half-way because someone else wrote first. Concurrent writes share one commit; `body`'s
    /// changes are rolled back when it throws. Returns after the commit.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(SQLiteWrite(body: body, continuation: continuation))
        }
    }

    /// Runs `body` on the reader, each statement in its own snapshot: for single-query reads.
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await reader.run(body)
    }

    /// Runs `body` on the reader in a deferred transaction, so all its queries see one snapshot.
    @discardableResult
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await reader.run { connection in try connection.transaction(.deferred) { try body(connection) } }
    }

    /// Runs `body` on the writer without a transaction (pragmas, maintenance). Prefer `write`.
    @discardableResult
    public func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.run(body)
    }

    /// Closes the connections; later calls throw. Without it they close with the last reference.
    public func close() async {
        await writer.close()
        if reader !== writer { await reader.close() }
    }

    // MARK: group commit

    private func enqueue(_ request: any SQLiteWriteRequest) {
        let schedule = pending.withLock { pending -> Bool in
            pending.requests.append(request)
            if pending.drainScheduled { return false }
            pending.drainScheduled = true
            return true
        }
        if schedule { writer.queue.async { self.drain() } }
    }

    /// On the writer queue: commits the pending writes, up to `maximumBatch` per transaction.
    private func drain() {
        let (batch, more) = pending.withLock { pending -> ([any SQLiteWriteRequest], Bool) in
            let batch = Array(pending.requests.prefix(Self.maximumBatch))
            pending.requests.removeFirst(batch.count)
            pending.drainScheduled = !pending.requests.isEmpty
            return (batch, pending.drainScheduled)
        }
        if more { writer.queue.async { self.drain() } }
        let connection: SQLiteConnection
        do {
            connection = try writer.openConnection()
        } catch {
            for request in batch { request.finish(commitError: error) }
            return
        }
        if batch.count == 1 {
            // Alone: no savepoint needed, a failing body rolls the transaction back.
            let request = batch[0]
            do {
                try connection.transaction(.immediate) {
                    if !request.execute(connection) { throw SQLiteRollback() }
                }
                request.finish(commitError: nil)
            } catch is SQLiteRollback {
                request.finish(commitError: nil)
            } catch {
                request.finish(commitError: error)
            }
            return
        }
        commit(batch, connection)
    }

    private func commit(_ batch: [any SQLiteWriteRequest], _ connection: SQLiteConnection) {
        do {
            try connection.run(SQLiteTransactionKind.immediate.rawValue)
            for request in batch {
                try connection.run("SAVEPOINT newsbot_write")
                if !request.execute(connection) { try connection.run("ROLLBACK TO newsbot_write") }
                try connection.run("RELEASE newsbot_write")
            }
            try connection.run("COMMIT")
        } catch {
            if connection.inTransaction { _ = try? connection.run("ROLLBACK") }
            for request in batch { request.finish(commitError: error) }
            return
        }
        for request in batch { request.finish(commitError: nil) }
    }

    // MARK: connections

    /// Opens one connection with the pragmas every connection needs.
    private static func connect(_ path: String, _ configuration: Configuration, cacheKiB: Int,
                                observer: SQLiteWALObserver?) throws -> SQLiteConnection {
        let connection = try SQLiteConnection.open(path: path, busyTimeout: configuration.busyTimeout)
        do {
            // WAL: readers never block the writer; several processes may share the file.
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("""
                PRAGMA synchronous = NORMAL;
                PRAGMA foreign_keys = ON;
                PRAGMA temp_store = MEMORY;
                PRAGMA journal_size_limit = \(64 * 1024 * 1024);
                PRAGMA cache_size = -\(max(cacheKiB, 256));
                """)
            if let observer { connection.observeWAL(observer) }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }
}

/// Marks a lone write whose body threw: roll back, then report the body's own error.
private struct SQLiteRollback: Error {}
