/// One schema change, applied once per database in version order and recorded in
/// `schema_migrations`. Never edit a migration that may have run somewhere; add a new one.
public struct SQLiteMigration: Sendable, Hashable {
    public var version: Int
    public var name: String
    /// One or more statements, run inside the migrating transaction.
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
