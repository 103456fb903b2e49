import CSQLite
import Foundation

/// A prepared statement, cached by its connection and reused: bind, step, read columns, reset.
///
/// Not `Sendable`: it lives on its database's serial queue and is only touched inside a
/// `SQLiteDatabase.read`/`write` closure. Parameter and column indexes follow SQLite: parameters
/// from 1, columns from 0. Dates are stored as `REAL` seconds since 1970 (readable with
/// `datetime(x, 'unixepoch')`).
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// Set while a `withStatement` closure uses it, so a nested use of the same SQL prepares a
    /// fresh statement instead of clobbering this one.
    var inUse = false

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: binding

    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value), "bind")
    }

    public func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value), "bind")
    }

    public func bind(_ value: Date, at index: Int32) throws {
        try bind(value.timeIntervalSince1970, at: index)
    }

    public func bind(_ value: String, at index: Int32) throws {
        var text = value
        let result = text.withUTF8 { buffer -> Int32 in
            // An empty buffer may have a nil base address, which SQLite would bind as NULL.
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return newsbot_sqlite3_bind_text_transient(handle, index, "", 0)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                newsbot_sqlite3_bind_text_transient(handle, index, $0, Int32(buffer.count))
            }
        }
        try check(result, "bind")
    }

    public func bind(_ value: Data, at index: Int32) throws {
        let result = value.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return newsbot_sqlite3_bind_blob_transient(handle, index, base, Int32(buffer.count))
        }
        try check(result, "bind")
    }

    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index), "bind")
    }

    /// Binds `values` to parameters 1…n.
    public func bind(_ values: [any SQLiteBindable]) throws {
        for (offset, value) in values.enumerated() {
            try value.bind(to: self, at: Int32(offset + 1))
        }
    }

    // MARK: stepping

    /// Advances to the next row. Returns false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(result, "step")
        }
    }

    /// Makes the statement ready to run again, keeping its bindings (bulk loops that rebind
    /// only some parameters).
    public func rewind() {
        sqlite3_reset(handle)
    }

    /// Makes the statement ready to run again and drops its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: reading the current row

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    public func date(_ column: Int32) -> Date { Date(timeIntervalSince1970: double(column)) }

    public func optionalDate(_ column: Int32) -> Date? { isNull(column) ? nil : date(column) }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    public func blob(_ column: Int32) -> Data {
        guard let pointer = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    // MARK: errors

    private func check(_ result: Int32, _ operation: String) throws {
        guard result == SQLITE_OK else { throw error(result, operation) }
    }

    private func error(_ result: Int32, _ operation: String) -> SQLiteError {
        let database = sqlite3_db_handle(handle)
        let code = database.map { sqlite3_extended_errcode($0) } ?? result
        let detail = database.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
        return SQLiteError(code: code == SQLITE_OK ? result : code, operation: operation, detail: detail)
    }
}
