import Core
import Foundation
import Logging
import PostgresBackend
import Telegram
import TelegramSim
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// newsbot scaled out on one machine, the way an operator runs it: a fresh PostgreSQL database
/// read through a private streaming replica, a private Redis and a private RabbitMQ (started
/// with servers-ctl, so a test may stop or restart them without disturbing other suites), the
/// shared `DeploymentFixture` (TelegramSim, a fake GNews, the work directory), and `newsbot`
/// processes started from the built binary. `deployment.binary`, `.simulator`, `.gnews` and
/// `.pipelineFile` are the fixture's.
@dynamicMemberLookup
final class ScaledOutDeployment: @unchecked Sendable {
    /// Server URLs and servers-ctl, when scripts/test exported them.
    struct Servers {
        let databaseURL: String
        let ctl: ServersCtl

        static var available: Servers? {
            let environment = ProcessInfo.processInfo.environment
            guard let url = environment["NEWSBOT_TEST_DATABASE_URL"], !url.isEmpty,
                  environment["NEWSBOT_TEST_REDIS_URL"] != nil, environment["NEWSBOT_TEST_AMQP_URL"] != nil,
                  let ctl = ServersCtl() else { return nil }
            return Servers(databaseURL: url, ctl: ctl)
        }
    }

    static let webhookSecret = "scaled-out-e2e-secret"

    let name: String
    let servers: Servers
    let fixture: DeploymentFixture
    let database: String
    let databaseURL: String
    let readURL: String
    let redisURL: String
    let amqpURL: String
    private var processes: [(name: String, process: Process)] = []

    /// Starts the private servers (`replica-NAME`, `redis-NAME`, `rabbitmq-NAME`) and creates the
    /// database (`start()` migrates it); the simulator takes `globalRate` messages per second, and
    /// the pipeline file sends at the same rate.
    init(name: String, servers: Servers, globalRate: Int) async throws {
        self.name = name
        self.servers = servers
        fixture = try DeploymentFixture(
            name: name, rateLimits: SimulatorRateLimits(globalPerSecond: globalRate, perChatBurst: 3), globalRate: globalRate)

        database = "nb_\(name.replacingOccurrences(of: "-", with: "_"))_\(UUID().uuidString.prefix(8).lowercased())"
        try Self.psql(servers.databaseURL, "CREATE DATABASE \(database)")
        databaseURL = Self.replacingDatabase(in: servers.databaseURL, with: database)
        try servers.ctl("start", "replica-\(name)")
        readURL = Self.replacingDatabase(in: try servers.ctl("url", "replica-\(name)"), with: database)
        try servers.ctl("start", "redis-\(name)")
        redisURL = try servers.ctl("url", "redis-\(name)")
        try servers.ctl("start", "rabbitmq-\(name)")
        amqpURL = try servers.ctl("url", "rabbitmq-\(name)")
    }

    /// Starts the simulator and the fake GNews; runs `newsbot migrate`.
    func start() async throws -> Int {
        let port = try await fixture.start()
        let status = try await fixture.binary.run(["migrate"], environment: environment(), log: log("migrate"), timeout: .seconds(60))
        guard status == 0 else { throw NewsbotBinaryError(message: "newsbot migrate failed: \(tail("migrate"))") }
        return port
    }

    /// The environment every newsbot process of the deployment gets.
    func environment(httpPort: Int? = nil) -> [String: String] {
        fixture.environment.merging([
            "DATABASE_URL": databaseURL,
            "DATABASE_READ_URLS": readURL,
            "REDIS_URL": redisURL,
            "AMQP_URL": amqpURL,
            "TELEGRAM_WEBHOOK_SECRET": Self.webhookSecret,
            "HTTP_PORT": String(httpPort ?? 0),
        ]) { $1 }
    }

    subscript<T>(dynamicMember keyPath: KeyPath<DeploymentFixture, T>) -> T { fixture[keyPath: keyPath] }

    func log(_ process: String) -> URL { fixture.log(process) }

    func tail(_ process: String) -> String { KillAndResumeTests.tail(log(process)) }

    /// Starts a long-running `newsbot ARGS` on its own HTTP port; returns that port.
    @discardableResult
    func launch(_ processName: String, _ arguments: [String]) throws -> Int {
        let port = try FreePort.next()
        let process = try fixture.binary.start(arguments, environment: environment(httpPort: port), log: log(processName))
        processes.append((processName, process))
        return port
    }

    /// Waits until `GET /readyz` answers 200 on `port` (the process reached every backend).
    func waitUntilReady(port: Int, _ processName: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if let status = try? await HTTP.status(of: URLRequest(url: URL(string: "http://127.0.0.1:\(port)/readyz")!)),
               status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NewsbotBinaryError(message: "\(processName) not ready on :\(port) within \(timeout): \(tail(processName))")
    }

    /// Processes that ended on their own (each one should run until stopped).
    var exited: [String] { processes.filter { !$0.process.isRunning }.map(\.name) }

    /// Bulk-inserts subscribers straight into the store (what thousands of /subscribe flows leave).
    func insert(_ subscribers: [Subscriber]) async throws {
        try await withStore { try await $0.upsert(subscribers) }
    }

    /// Runs `body` with the deployment's store (the test's own reads and writes, on the primary).
    func withStore<T: Sendable>(_ body: (PostgresSubscriberStore) async throws -> T) async throws -> T {
        var logger = Logger(label: "e2e.postgres")
        logger.logLevel = .critical
        let cluster = PostgresCluster(configuration: try PostgresConfiguration(databaseURL: databaseURL), logger: logger)
        let running = Task { try await cluster.run() }
        do {
            let result = try await body(PostgresSubscriberStore(cluster: cluster))
            running.cancel()
            _ = await running.result
            return result
        } catch {
            running.cancel()
            _ = await running.result
            throw error
        }
    }

    /// Stops every process (SIGTERM, then SIGKILL), the simulator, the fake GNews and the
    /// private servers, and drops the database.
    func shutDown() async {
        for (_, process) in processes where process.isRunning { process.terminate() }
        for (_, process) in processes {
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // NEWSBOT_KEEP_SERVERS_DIR=1 (scripts/test's switch to keep logs) keeps the processes' logs too.
        let keepLogs = ProcessInfo.processInfo.environment["NEWSBOT_KEEP_SERVERS_DIR"] == "1"
        await fixture.tearDown(keepingWork: keepLogs)
        for server in ["rabbitmq-\(name)", "redis-\(name)", "replica-\(name)"] { _ = try? servers.ctl("stop", server) }
        _ = try? Self.psql(servers.databaseURL, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        if keepLogs { print("scaled-out logs kept in \(fixture.work.path)") }
    }

    /// `postgres://user@host:port/db` with another database name.
    static func replacingDatabase(in url: String, with database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + database
        return components.string ?? url
    }

    /// Runs one SQL statement with psql (the test's own setup, not newsbot's).
    static func psql(_ url: String, _ sql: String) throws {
        let outcome = try ChildProcess.run("/usr/bin/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        guard outcome.status == 0 else { throw NewsbotBinaryError(message: "psql failed: \(outcome.errors)") }
    }
}
