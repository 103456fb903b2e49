import Core
import Foundation
@testable import PostgresBackend
import Testing

/// `DATABASE_URL` / `DATABASE_READ_URLS` parsing and redaction; no server needed.
@Suite("Postgres configuration")
struct PostgresConfigurationTests {
    @Test func parsesPrimaryAndReplicas() throws {
        let configuration = try PostgresConfiguration(
            databaseURL: "postgres://news:p%40ss%2Fword@db.internal:6432/newsbot?sslmode=disable",
            readURLs: " postgresql://reader@replica-1:5433/newsbot , ,postgres://reader:x@[::1]/newsbot?sslmode=verify-full")
        #expect(configuration.primary.host == "db.internal")
        #expect(configuration.primary.port == 6432)
        #expect(configuration.primary.username == "news")
        #expect(configuration.primary.password?.value == "p@ss/word")
        #expect(configuration.primary.database == "newsbot")
        #expect(configuration.primary.tls == .disable)
        #expect(configuration.replicas.map(\.address) == ["replica-1:5433", "::1:5432"])
        #expect(configuration.replicas[0].tls == .prefer)
        #expect(configuration.replicas[0].password == nil)
        #expect(configuration.replicas[1].tls == .verifyFull)
    }

    @Test func defaultsFollowLibpq() throws {
        let endpoint = try PostgresEndpoint(url: "postgres://newsbot@localhost")
        #expect(endpoint.port == 5432)
        #expect(endpoint.database == "newsbot")
        #expect(endpoint.tls == .prefer)
        #expect(PostgresTLSMode(sslmode: "allow") == .prefer)
        #expect(PostgresTLSMode(sslmode: "REQUIRE") == .require)
        #expect(PostgresTLSMode(sslmode: "verify-ca") == .verifyCA)
        #expect(try PostgresConfiguration(databaseURL: "postgres://u@h/d", readURLs: "  ").replicas.isEmpty)
    }

    @Test func descriptionsNeverShowPasswords() throws {
        let configuration = try PostgresConfiguration(databaseURL: "postgres://news:hunter2@db:5432/newsbot",
                                                      readURLs: "postgres://news:hunter3@replica/newsbot")
        let text = "\(configuration) \(configuration.primary) \(configuration.replicas) \(String(reflecting: configuration))"
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("hunter3"))
        #expect(configuration.primary.description == "postgres://news:***@db:5432/newsbot")
    }

    @Test(arguments: [
        "mysql://news:hunter2@db/newsbot",
        "postgres://news:hunter2@db/newsbot?sslmode=sometimes",
        "postgres://news:hunter2@db:99999/newsbot",
        "postgres://:hunter2@db/newsbot",
        "postgres://news:hunter2@/newsbot",
    ])
    func rejectsBadURLsWithoutRepeatingThePassword(_ url: String) {
        #expect {
            try PostgresConfiguration(databaseURL: url)
        } throws: { error in
            guard let error = error as? NewsbotError else { return false }
            return error.code == .configuration && !error.description.contains("hunter2")
                && !error.debugDescription.contains("hunter2")
        }
    }

    @Test func schemaNamesArePlainIdentifiers() throws {
        #expect(PostgresConfiguration.isValidSchemaName("newsbot"))
        #expect(PostgresConfiguration.isValidSchemaName("_test_42"))
        #expect(!PostgresConfiguration.isValidSchemaName("1abc"))
        #expect(!PostgresConfiguration.isValidSchemaName("a\"; DROP SCHEMA public; --"))
        #expect(!PostgresConfiguration.isValidSchemaName(""))
        #expect(!PostgresConfiguration.isValidSchemaName(String(repeating: "a", count: 64)))
        #expect(throws: NewsbotError.self) {
            try PostgresConfiguration(databaseURL: "postgres://u@h/d", schema: "bad-name")
        }
    }

    @Test func migrationChecksumsAreStableAndSensitive() {
        let migration = PostgresMigration(version: 1, name: "one", statements: ["CREATE TABLE a (x int)"])
        #expect(migration.checksum == PostgresMigration(version: 1, name: "renamed", statements: ["CREATE TABLE a (x int)"]).checksum)
        #expect(migration.checksum != PostgresMigration(version: 1, name: "one", statements: ["CREATE TABLE a (y int)"]).checksum)
        #expect(migration.checksum.count == 16)
        #expect(PostgresMigration.all.map(\.version) == Array(1...PostgresMigration.all.count))
    }
}

/// Failures against a server that is not there: fast, typed, and without the password.
@Suite("Postgres unreachable server")
struct PostgresUnreachableServerTests {
    @Test func pingFailsWithoutLeakingThePassword() async throws {
        var configuration = try PostgresConfiguration(databaseURL: "postgres://newsbot:s3cret-pass@127.0.0.1:1/newsbot?sslmode=disable")
        configuration.replicaReadTimeout = .milliseconds(300)
        configuration.connectTimeout = .milliseconds(300)
        let cluster = PostgresCluster(configuration: configuration)
        let running = Task { try await cluster.run() }
        defer { running.cancel() }
        let started = ContinuousClock.now
        await #expect {
            try await cluster.checkPrimary()
        } throws: { error in
            guard let error = error as? NewsbotError else { return false }
            return [.timeout, .unavailable].contains(error.code) && !error.description.contains("s3cret")
                && !error.debugDescription.contains("s3cret")
        }
        #expect(ContinuousClock.now - started < .seconds(25))
        running.cancel()
        _ = await running.result
    }
}
