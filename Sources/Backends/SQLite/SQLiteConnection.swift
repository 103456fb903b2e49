import CSQLite
import Foundation

/// One open `sqlite3*` with its prepared-statement cache.
///
/// Not `Sendable`: only its `SQLiteDatabase`'s serial queue touches it, and only inside a
/// `read`/`write`/`perform` closure. Statements are cached by SQL text, so a hot loop prepares
/// once and binds many times.
public final class SQLiteConnection {
    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    /// Process-wide settings applied once before the first connection opens (ignored if SQLite
    /// was already initialised by someone else).
    private static let processSetup: Void = {
        _ = newsbot_sqlite3_disable_memstatus()
    }()

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory one).
    static func open(path: String, busyTimeout: Duration) throws -> SQLiteConnection {
        _ = processSetup
        var pointer: OpaquePointer?
        // NOMUTEX: the connection is confined to one serial queue, SQLite's own mutex would only cost.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &pointer, flags, nil)
        guard result == SQLITE_OK, let pointer else {
            let detail = pointer.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
            if let pointer { sqlite3_close_v2(pointer) }
            throw SQLiteError(code: result, operation: "open", detail: detail)
        }
        sqlite3_extended_result_codes(pointer, 1)
        let milliseconds = Int32(clamping: busyTimeout.components.seconds * 1000
            + busyTimeout.components.attoseconds / 1_000_000_000_000_000)
        sqlite3_busy_timeout(pointer, milliseconds)
        return SQLiteConnection(handle: pointer)
    }

    /// Finalises every cached statement and closes the handle.
    func close() {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: statements

    /// Runs `body` with the cached statement for `sql`, resetting it afterwards whatever happens.
    public func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement: SQLiteStatement
        if let cached = statements[sql], !cached.inUse {
            statement = cached
        } else {
            statement = try prepare(sql)
            if statements[sql] == nil { statements[sql] = statement }
        }
        statement.inUse = true
        defer {
            statement.reset()
            statement.inUse = false
        }
        return try body(statement)
    }

    private func prepare(_ sql: String) throws -> SQLiteStatement {
        var pointer: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard result == SQLITE_OK, let pointer else { throw error(result, "prepare") }
        return SQLiteStatement(handle: pointer)
    }

    /// Runs SQL without parameters, possibly several statements (schema, pragmas).
    public func execute(_ sql: String) throws {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw error(result, "execute") }
    }

    /// Runs one statement to completion with `values` bound to its parameters; returns the
    /// number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ values: any SQLiteBindable...) throws -> Int {
        try withStatement(sql) { statement in
            try statement.bind(values)
            while try statement.step() {}
            return changes
        }
    }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ values: any SQLiteBindable..., row: (SQLiteStatement) throws -> T) throws -> [T] {
        try withStatement(sql) { statement in
            try statement.bind(values)
            var rows: [T] = []
            while try statement.step() { rows.append(try row(statement)) }
            return rows
        }
    }

    /// The first row of a query mapped, nil when there is none.
    public func first<T>(_ sql: String, _ values: any SQLiteBindable..., row: (SQLiteStatement) throws -> T) throws -> T? {
        try withStatement(sql) { statement in
            try statement.bind(values)
            return try statement.step() ? try row(statement) : nil
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Copies committed WAL frames into the database file without waiting for readers or writers.
    func checkpoint() throws {
        let result = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        guard result == SQLITE_OK || result == SQLITE_BUSY else { throw error(result, "checkpoint") }
    }

    /// Replaces SQLite's automatic checkpoint with `observer`, told the WAL size after each commit.
    func observeWAL(_ observer: SQLiteWALObserver) {
        let context = Unmanaged.passUnretained(observer).toOpaque()
        sqlite3_wal_hook(handle, { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<SQLiteWALObserver>.fromOpaque(context).takeUnretainedValue().walGrew(to: Int(pages))
            return SQLITE_OK
        }, context)
    }

    /// Whether a transaction is open (false in autocommit mode).
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func error(_ result: Int32, _ operation: String) -> SQLiteError {
        let code = sqlite3_extended_errcode(handle)
        let detail = sqlite3_errmsg(handle).map { String(cString: $0) } ?? ""
        return SQLiteError(code: code == SQLITE_OK ? result : code, operation: operation, detail: detail)
    }
}
