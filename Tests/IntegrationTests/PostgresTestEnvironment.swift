import Core
import Foundation
import Logging
import PostgresBackend

/// What scripts/test exports for the PostgreSQL suites (a primary, its streaming replica and
/// servers-ctl), plus helpers that give each test its own schema on the shared servers.
enum PostgresTestEnvironment {
    static var databaseURL: String? { value("NEWSBOT_TEST_DATABASE_URL") }
    static var readURLs: String? { value("NEWSBOT_TEST_DATABASE_READ_URLS") }
    static var serversCtlPath: String? { value("NEWSBOT_TEST_SERVERS_CTL") }

    static let logger: Logger = {
        var logger = Logger(label: "newsbot.postgres.test")
        logger.logLevel = .warning
        return logger
    }()

    /// A schema name no other test (or earlier run) uses.
    static func uniqueSchema() -> String {
        "nbtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Test-sized pools and fast health checks, so a stopped replica is noticed within a second.
    static func configuration(schema: String, replicas: Bool = true) throws -> PostgresConfiguration {
        guard let databaseURL else { throw NewsbotError(.configuration, "NEWSBOT_TEST_DATABASE_URL is not set") }
        var configuration = try PostgresConfiguration(databaseURL: databaseURL, readURLs: replicas ? readURLs : nil,
                                                      schema: schema)
        configuration.primaryPool = PostgresPoolOptions(maximumConnections: 8)
        configuration.replicaPool = PostgresPoolOptions(maximumConnections: 4)
        configuration.connectTimeout = .seconds(2)
        configuration.replicaReadTimeout = .seconds(1)
        configuration.healthCheckInterval = .milliseconds(200)
        configuration.maxReplicaLag = .seconds(2)
        return configuration
    }

    /// Runs a cluster on a fresh, migrated schema for the duration of `body`, then drops the
    /// schema and stops the cluster, also when `body` throws.
    static func withCluster<Result: Sendable>(
        schema: String = uniqueSchema(), replicas: Bool = true, migrate: Bool = true,
        configure: (inout PostgresConfiguration) -> Void = { _ in },
        _ body: (PostgresCluster) async throws -> Result
    ) async throws -> Result {
        var configuration = try configuration(schema: schema, replicas: replicas)
        configure(&configuration)
        let cluster = PostgresCluster(configuration: configuration, logger: logger)
        let running = Task { try await cluster.run() }
        func stop() async {
            try? await PostgresMigrator(cluster: cluster).dropSchema()
            running.cancel()
            _ = await running.result
        }
        do {
            if migrate { try await PostgresMigrator(cluster: cluster).migrate() }
            let result = try await body(cluster)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
    static func eventually(within timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// Waits until every replica of `cluster` serves reads.
    static func replicasHealthy(_ cluster: PostgresCluster, within timeout: Duration = .seconds(15)) async throws -> Bool {
        try await eventually(within: timeout) {
            cluster.replicaStatuses().allSatisfy { $0.health == .healthy }
        }
    }

    /// Runs SQL through psql against `url` (the replica's replay controls have no port API).
    @discardableResult
    static func psql(_ url: String, _ sql: String) async throws -> String {
        try await run("/usr/bin/env", ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
    }

    /// `servers-ctl ARGS…` (stop / start the replica).
    @discardableResult
    static func serversCtl(_ arguments: String...) async throws -> String {
        guard let serversCtlPath else { throw NewsbotError(.configuration, "NEWSBOT_TEST_SERVERS_CTL is not set") }
        return try await run(serversCtlPath, arguments)
    }

    /// Spawns a command with standard output to a temporary file and waits for it on its own
    /// thread. Not `Foundation.Process`: its `waitUntilExit` blocks a cooperative thread, and here
    /// it missed the exit of a `servers-ctl start` (whose server daemonises) and hung the run.
    private static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw NewsbotError(.internal, "cannot start \(executable): error \(spawned)") }
        let child = pid
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let name = URL(fileURLWithPath: executable).lastPathComponent
            throw NewsbotError(.internal, "\(name) \(arguments.first ?? "") failed (status \(status))")
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
