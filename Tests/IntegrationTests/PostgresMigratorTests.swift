import Core
import Foundation
import PostgresBackend
import Testing

extension PostgresServerTests {
    @Suite("migrator")
    struct MigratorTests {
        typealias Env = PostgresTestEnvironment

        @Test func migrateIsIdempotent() async throws {
            try await Env.withCluster(replicas: false, migrate: false) { cluster in
                let migrator = PostgresMigrator(cluster: cluster)
                #expect(try await migrator.appliedVersions() == [])
                #expect(try await migrator.migrate() == PostgresMigration.all.map(\.version))
                #expect(try await migrator.migrate() == [])
                #expect(try await PostgresMigrator(cluster: cluster).migrate() == [])
                #expect(try await migrator.appliedVersions() == PostgresMigration.all.map(\.version))
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert(Subscriber(id: 1, chatID: 1, slots: [Slot(hour: 8, minute: 0)!]))
                #expect(try await store.subscriberCount() == 1)
            }
        }

        @Test func aSchemaMissingAMigrationSaysToMigrate() async throws {
            try await Env.withCluster(replicas: false, migrate: false) { cluster in
                try await PostgresMigrator(cluster: cluster, migrations: [PostgresMigration.all[0]]).migrate()
                let store = PostgresSubscriberStore(cluster: cluster)
                do {
                    try await store.upsert(Subscriber(id: 1, chatID: 1, slots: [Slot(hour: 8, minute: 0)!]))
                    Issue.record("a write needing migration 2 succeeded without it")
                } catch let error as NewsbotError {
                    #expect(error.code == .storage)
                    #expect(error.description.contains("42883"))
                    #expect(error.description.contains("run `newsbot migrate`"))
                }
                try await PostgresMigrator(cluster: cluster).migrate()
                try await store.upsert(Subscriber(id: 1, chatID: 1, slots: [Slot(hour: 8, minute: 0)!]))
                #expect(try await store.subscriber(id: 1)?.slots == [Slot(hour: 8, minute: 0)!])
            }
        }

        @Test func concurrentMigratorsApplyEachVersionOnce() async throws {
            // The extra version fails if applied twice (duplicate key), so a double application cannot pass unnoticed.
            let extra = PostgresMigration.all.map(\.version).max()! + 1
            let migrations = PostgresMigration.all + [PostgresMigration(version: extra, name: "test extra", statements: [
                "CREATE TABLE extra (id integer PRIMARY KEY)",
                "INSERT INTO extra VALUES (1)",
            ])]
            try await Env.withCluster(replicas: false, migrate: false) { cluster in
                // Separate clusters: separate pools, as separate processes would have.
                let clusters = (0..<6).map { _ in PostgresCluster(configuration: cluster.configuration, logger: Env.logger) }
                let running = clusters.map { peer in Task { try await peer.run() } }
                defer { for task in running { task.cancel() } }
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for peer in clusters {
                        group.addTask { try await PostgresMigrator(cluster: peer, migrations: migrations).migrate() }
                    }
                    return try await group.reduce(into: [Int]()) { $0 += $1 }
                }
                #expect(applied.sorted() == migrations.map(\.version))
                #expect(try await PostgresMigrator(cluster: cluster).appliedVersions() == migrations.map(\.version))
                for task in running { task.cancel(); _ = await task.result }
            }
        }

        @Test func anEditedMigrationIsRefused() async throws {
            try await Env.withCluster(replicas: false) { cluster in
                var edited = PostgresMigration.all
                edited[0].statements.append("CREATE TABLE sneaky (id integer)")
                await #expect {
                    try await PostgresMigrator(cluster: cluster, migrations: edited).migrate()
                } throws: { error in
                    (error as? NewsbotError)?.code == .conflict
                }
            }
        }

        @Test func migrateCommandRunsItsOwnClient() async throws {
            let schema = Env.uniqueSchema()
            let configuration = try Env.configuration(schema: schema, replicas: false)
            #expect(try await PostgresMigrator.migrate(configuration: configuration, logger: Env.logger)
                == PostgresMigration.all.map(\.version))
            #expect(try await PostgresMigrator.migrate(configuration: configuration, logger: Env.logger) == [])
            let versions = try await Env.withCluster(schema: schema, replicas: false, migrate: false) { cluster in
                try await PostgresMigrator(cluster: cluster).appliedVersions()
            }
            #expect(versions == PostgresMigration.all.map(\.version))
        }
    }
}
