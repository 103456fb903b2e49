import CSQLite
import Dispatch
import Foundation

/// One SQLite database handle shared by every embedded store: WAL journal, `busy_timeout`,
/// foreign keys, `synchronous=NORMAL`, a prepared-statement cache and versioned migrations.
///
/// Every blocking SQLite call runs on this database's own serial `DispatchQueue`, never on Swift
/// Concurrency's cooperative pool: a write waiting for another process's lock (up to the busy
/// timeout) or a 100k-row bulk insert then blocks one dispatch thread, not the async runtime.
///
/// `@unchecked Sendable` is safe because the only mutable state — the `sqlite3*` connection and
/// its statement cache — is touched exclusively from `queue`, which runs one closure at a time;
/// everything else is immutable after `init`.
public final class SQLiteDatabase: @unchecked Sendable {
    public let location: SQLiteLocation
    public let configuration: Configuration
    private let queue: DispatchQueue
    /// Opened lazily by the first closure on `queue`; only ever read or written on `queue`.
    private var connection: SQLiteConnection?
    private var closed = false

    private init(location: SQLiteLocation, configuration: Configuration) {
        self.location = location
        self.configuration = configuration
        self.queue = DispatchQueue(label: "newsbot.sqlite.\(location)", qos: .userInitiated)
    }

    deinit {
        // No closure can be running: each one retains `self` until it finishes.
        connection?.close()
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
                throw SQLiteError(code: SQLITE_CANTOPEN, operation: "create directory", detail: "\(error)")
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

    // MARK: running work on the database queue

    /// Runs `body` on the database queue without a transaction (pragmas, single statements).
    @discardableResult
    public func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(try self.openConnection()) })
            }
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front (waiting up
    /// to the busy timeout), so the transaction never fails half-way because another process wrote
    /// first. Rolled back when `body` throws.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await perform { connection in try connection.transaction(.immediate) { try body(connection) } }
    }

    /// Runs `body` in a deferred (read) transaction, so several queries see one snapshot.
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await perform { connection in try connection.transaction(.deferred) { try body(connection) } }
    }

    /// Closes the handle; later calls throw. Without it the handle closes when the last reference goes.
    public func close() async {
        _ = try? await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                self.connection?.close()
                self.connection = nil
                self.closed = true
                continuation.resume()
            }
        }
    }

    /// Only called on `queue`.
    private func openConnection() throws -> SQLiteConnection {
        if let connection { return connection }
        guard !closed else { throw SQLiteError(code: SQLITE_MISUSE, operation: "use a closed database") }
        let connection = try SQLiteConnection.open(path: location.openPath, busyTimeout: configuration.busyTimeout)
        do {
            // WAL: readers never block the writer; several processes may share the file.
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("""
                PRAGMA synchronous = NORMAL;
                PRAGMA foreign_keys = ON;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -\(max(configuration.cacheSizeKiB, 256));
                """)
        } catch {
            connection.close()
            throw error
        }
        self.connection = connection
        return connection
    }
}
