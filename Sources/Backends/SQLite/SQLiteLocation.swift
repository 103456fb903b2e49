/// Where a SQLite database lives, parsed from `DATABASE_URL`.
public enum SQLiteLocation: Sendable, Hashable, CustomStringConvertible {
    /// A private in-memory database (`sqlite::memory:`): gone when the handle closes; tests.
    case memory
    /// A file; parent directories are created on open.
    case file(String)

    /// Parses `sqlite:PATH` (relative or absolute; `sqlite:///abs/path` is accepted too) and
    /// `sqlite::memory:`. Nil for any other scheme, so callers can try the next backend.
    public init?(url: String) {
        guard url.hasPrefix("sqlite:") else { return nil }
        var path = Substring(url.dropFirst("sqlite:".count))
        if path == ":memory:" {
            self = .memory
            return
        }
        if path.hasPrefix("//") { path = path.dropFirst(2) }
        guard !path.isEmpty else { return nil }
        self = .file(String(path))
    }

    /// The path handed to `sqlite3_open_v2`.
    var openPath: String {
        switch self {
        case .memory: ":memory:"
        case .file(let path): path
        }
    }

    public var description: String {
        switch self {
        case .memory: "sqlite::memory:"
        case .file(let path): "sqlite:\(path)"
        }
    }
}
