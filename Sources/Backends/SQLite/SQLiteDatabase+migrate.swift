import Foundation

extension SQLiteDatabase {
    /// Applies the migrations not yet recorded in `schema_migrations`, in version order, in one
    /// `BEGIN IMMEDIATE` transaction. Idempotent, and safe when several processes open the same file
    /// at once: the first takes the write lock and migrates, the others wait (busy timeout), then find
    /// nothing left to do. Returns the versions this call applied.
    @discardableResult
    public func migrate(_ migrations: [SQLiteMigration] = SQLiteSchema.migrations) async throws -> [Int] {
        let now = Date()
        return try await write { connection in
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at REAL NOT NULL
                )
                """)
            let applied = Set(try connection.query("SELECT version FROM schema_migrations") { $0.int(0) })
            var newlyApplied: [Int] = []
            for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
                do {
                    try connection.execute(migration.sql)
                } catch let error as SQLiteError {
                    throw SQLiteError(code: error.code, operation: "migrate to version \(migration.version)",
                                      detail: error.detail)
                }
                try connection.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                   migration.version, migration.name, now)
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }

    /// Versions recorded in `schema_migrations`, ascending (empty before the first migration).
    public func appliedMigrations() async throws -> [Int] {
        try await snapshot { connection in
            let exists = try connection.first(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") { _ in true } ?? false
            guard exists else { return [] }
            return try connection.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) }
        }
    }
}
