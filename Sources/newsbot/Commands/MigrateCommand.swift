import ArgumentParser
import Core
import Logging
import PostgresBackend
import SQLiteBackend

/// `newsbot migrate`: applies database migrations; safe to run again and from several processes.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply database migrations to DATABASE_URL (idempotent)."
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        if let path = configuration.sqlitePath {
            let database = try await SQLiteDatabase.open(url: "sqlite:" + path)
            await database.close()
            print("migrate: sqlite:\(path) is up to date")
            return
        }
        let postgres = try PostgresConfiguration(databaseURL: configuration.databaseURL.value)
        let applied = try await PostgresMigrator.migrate(configuration: postgres, logger: Logger(label: "newsbot.migrate"))
        print(applied.isEmpty ? "migrate: \(postgres) is up to date"
                              : "migrate: applied \(applied.map(String.init).joined(separator: ", ")) to \(postgres)")
    }
}
