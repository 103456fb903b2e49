import Core
import CSQLite

/// A failed SQLite call: the result code, a generic message for it and what we were doing.
///
/// `description` is deliberately terse (code, operation, SQLite's generic text for the code) so no
/// SQL text or bound value can reach a log by accident; SQLite's own error message, which may quote
/// a fragment of SQL, is kept for `debugDescription` only (redacted).
public struct SQLiteError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`, …).
    public var code: Int32
    /// What the wrapper was doing: `open`, `prepare`, `step`, `bind`, `begin`, `commit`, `migrate`, …
    public var operation: String
    /// SQLite's `sqlite3_errmsg` at the time; may name tables or quote SQL, so never in `description`.
    public var detail: String
    public var file: String
    public var line: Int

    public init(code: Int32, operation: String, detail: String = "", file: String = #fileID, line: Int = #line) {
        self.code = code
        self.operation = operation
        self.detail = detail
        self.file = file
        self.line = line
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xFF }

    /// SQLite's fixed English text for the code: never contains data.
    public var message: String { String(cString: sqlite3_errstr(code)) }

    /// The database was locked by another connection longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint failed.
    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String { "SQLite error \(code) during \(operation): \(message)" }

    public var debugDescription: String {
        "SQLite error \(code) during \(operation): \(message); \(Redaction.redact(detail)) (\(file):\(line))"
    }
}
