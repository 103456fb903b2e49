import Core
import Logging
import PostgresNIO

/// Applies `PostgresMigration`s in version order, each in its own transaction, recording them in
/// `schema_migrations`. Idempotent, and safe when several processes start at once: every
/// migration transaction first takes a transaction-scoped advisory lock, then re-reads what is
/// applied, so exactly one process applies each version and the others wait and skip it.
///
/// `newsbot migrate`: `try await PostgresMigrator.migrate(configuration: config, logger: logger)`.
/// With a running cluster: `try await PostgresMigrator(cluster: cluster).migrate()`.
public struct PostgresMigrator: Sendable {
    /// Advisory lock key shared by every newsbot migrator ("newsbot" in ASCII).
    static let lockKey: Int64 = 0x6E_6577_7362_6F74

    private let client: PostgresClient
    private let schema: String?
    private let migrations: [PostgresMigration]
    private let logger: Logger
    private let didWrite: @Sendable () -> Void

    /// Migrates the cluster's primary, in the configuration's schema (created when missing).
    public init(cluster: PostgresCluster, migrations: [PostgresMigration] = PostgresMigration.all,
                logger: Logger? = nil) {
        self.client = cluster.primary
        self.schema = cluster.configuration.schema
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger ?? cluster.logger
        self.didWrite = { cluster.noteWrite() }
    }

    /// Migrates through any running `PostgresClient` whose connections use `schema` as their
    /// `search_path` (nil: the server's default).
    public init(client: PostgresClient, schema: String? = nil, migrations: [PostgresMigration] = PostgresMigration.all,
                logger: Logger = Logger(label: "newsbot.postgres")) throws {
        if let schema, !PostgresConfiguration.isValidSchemaName(schema) {
            throw NewsbotError(.configuration, "invalid schema name: \(schema)")
        }
        self.client = client
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
        self.didWrite = {}
    }

    /// Runs a short-lived client to the primary of `configuration` and migrates it (the
    /// `newsbot migrate` command). Returns the versions this call applied.
    @discardableResult
    public static func migrate(configuration: PostgresConfiguration,
                               logger: Logger = Logger(label: "newsbot.postgres")) async throws -> [Int] {
        let client = PostgresClient(
            configuration: configuration.primary.clientConfiguration(
                pool: .init(maximumConnections: 2), connectTimeout: configuration.connectTimeout,
                schema: configuration.schema, applicationName: configuration.applicationName + "-migrate"),
            backgroundLogger: logger)
        let migrator = try PostgresMigrator(client: client, schema: configuration.schema, logger: logger)
        return try await withThrowingTaskGroup(of: [Int]?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await migrator.migrate()
        }
    }

    /// Applies every migration not applied yet. Returns the versions this call applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        if let applied = try? await appliedChecksums(),
           try migrations.allSatisfy({ try isApplied($0, in: applied) }) {
            return []
        }
        var appliedNow: [Int] = []
        for migration in migrations where try await apply(migration) {
            appliedNow.append(migration.version)
        }
        if !appliedNow.isEmpty {
            logger.info("postgres migrations applied", metadata: [
                "newsbot.postgres.versions": "\(appliedNow.map(String.init).joined(separator: ","))",
            ])
        }
        return appliedNow
    }

    /// Drops the configured schema and everything in it: for tests and throwaway demos. Refuses
    /// when no schema is configured, so it can never drop `public`.
    public func dropSchema() async throws {
        guard let schema else {
            throw NewsbotError(.invalidInput, "postgres drop schema: no schema configured (refusing to drop the default one)")
        }
        defer { didWrite() }
        do {
            // Validated identifier (PostgresConfiguration.isValidSchemaName): identifiers cannot be bound.
            try await client.fetch("DROP SCHEMA IF EXISTS \(unescaped: "\"\(schema)\"") CASCADE", logger: logger)
        } catch {
            throw PostgresFailure.wrap(error, operation: "drop schema")
        }
    }

    /// Versions recorded in `schema_migrations`, ascending (empty before the first migration).
    public func appliedVersions() async throws -> [Int] {
        do {
            return try await appliedChecksums().keys.sorted()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            return []
        } catch {
            throw PostgresFailure.wrap(error, operation: "read schema_migrations")
        }
    }

    private func appliedChecksums() async throws -> [Int: String] {
        var result: [Int: String] = [:]
        let rows = try await client.fetch("SELECT version, checksum FROM schema_migrations", logger: logger)
        for (version, checksum) in try rows.decode((Int, String).self) { result[version] = checksum }
        return result
    }

    /// True when applied with the same checksum; throws when applied with a different one.
    private func isApplied(_ migration: PostgresMigration, in applied: [Int: String]) throws -> Bool {
        guard let checksum = applied[migration.version] else { return false }
        guard checksum == migration.checksum else {
            throw NewsbotError(.conflict, "postgres migration \(migration.version) (\(migration.name)) differs from the one applied "
                + "(checksum \(checksum), expected \(migration.checksum)); add a new migration instead of editing one")
        }
        return true
    }

    /// Applies one migration under the advisory lock unless another process already did.
    private func apply(_ migration: PostgresMigration) async throws -> Bool {
        let logger = self.logger
        let schema = self.schema
        defer { didWrite() }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.fetch("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                if let schema {
                    // Validated identifier (PostgresConfiguration.isValidSchemaName): identifiers cannot be bound.
                    try await connection.fetch("CREATE SCHEMA IF NOT EXISTS \(unescaped: "\"\(schema)\"")", logger: logger)
                }
                try await connection.fetch("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """, logger: logger)
                let rows = try await connection.fetch(
                    "SELECT checksum FROM schema_migrations WHERE version = \(migration.version)", logger: logger)
                var applied: [Int: String] = [:]
                for checksum in try rows.decode(String.self) { applied[migration.version] = checksum }
                if try isApplied(migration, in: applied) { return false }
                for statement in migration.statements {
                    try await connection.fetch(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.fetch("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
                return true
            }
        } catch {
            throw PostgresFailure.wrap(error, operation: "migration \(migration.version) (\(migration.name))")
        }
    }
}
