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
/// with servers-ctl, so a test may stop or restart them without disturbing other suites),
/// TelegramSim, a fake GNews, and `newsbot` processes started from the built binary.
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

    static let token = TelegramSimulator.Configuration.defaultToken.rawValue
    static let webhookSecret = "scaled-out-e2e-secret"

    let name: String
    let servers: Servers
    let work: URL
    let binary: NewsbotBinary
    let simulator: TelegramSimulator
    let gnews: FakeGNewsServer
    let database: String
    let databaseURL: String
    let readURL: String
    let redisURL: String
    let amqpURL: String
    let pipelineFile: URL
    private let gnewsTask: Task<Void, any Error>
    private var processes: [(name: String, process: Process)] = []

    /// Starts the private servers (`replica-NAME`, `redis-NAME`, `rabbitmq-NAME`), creates and
    /// migrates the database, and starts the simulator with `globalRate` messages per second;
    /// the pipeline file sends at the same rate.
    init(name: String, servers: Servers, globalRate: Int) async throws {
        self.name = name
        self.servers = servers
        binary = try NewsbotBinary()
        work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        database = "nb_\(name.replacingOccurrences(of: "-", with: "_"))_\(UUID().uuidString.prefix(8).lowercased())"
        try Self.psql(servers.databaseURL, "CREATE DATABASE \(database)")
        databaseURL = Self.replacingDatabase(in: servers.databaseURL, with: database)
        try servers.ctl("start", "replica-\(name)")
        readURL = Self.replacingDatabase(in: try servers.ctl("url", "replica-\(name)"), with: database)
        try servers.ctl("start", "redis-\(name)")
        redisURL = try servers.ctl("url", "redis-\(name)")
        try servers.ctl("start", "rabbitmq-\(name)")
        amqpURL = try servers.ctl("url", "rabbitmq-\(name)")

        simulator = TelegramSimulator(configuration: .init(rateLimits: SimulatorRateLimits(globalPerSecond: globalRate, perChatBurst: 3)))
        gnews = FakeGNewsServer(newsDirectory: NewsbotBinary.repository.appendingPathComponent("fixtures/batches/morning/news"))
        let gnews = gnews
        gnewsTask = Task { try await gnews.run(ready: {}) }

        pipelineFile = try FixturePipeline.write(named: name, in: work, globalRate: globalRate)
    }

    /// Starts the simulator and waits for the fake GNews; runs `newsbot migrate`.
    func start() async throws -> Int {
        let port = try await simulator.start()
        simulatorPort = port
        while gnews.baseURL.hasSuffix(":0") { try await Task.sleep(for: .milliseconds(20)) }
        let status = try await binary.run(["migrate"], environment: environment(), log: log("migrate"), timeout: .seconds(60))
        guard status == 0 else { throw NewsbotBinaryError(message: "newsbot migrate failed: \(tail("migrate"))") }
        return port
    }

    private var simulatorPort = 0

    /// The environment every newsbot process of the deployment gets.
    func environment(httpPort: Int? = nil) -> [String: String] {
        var environment = [
            "DATABASE_URL": databaseURL,
            "DATABASE_READ_URLS": readURL,
            "REDIS_URL": redisURL,
            "AMQP_URL": amqpURL,
            "TELEGRAM_API_URL": "http://127.0.0.1:\(simulatorPort)",
            "TELEGRAM_BOT_TOKEN": Self.token,
            "TELEGRAM_WEBHOOK_SECRET": Self.webhookSecret,
            "GNEWS_API_URL": gnews.baseURL,
            "GNEWS_API_KEY": "scaled-out-e2e-key",
            "LOG_LEVEL": "warning",
        ]
        environment["HTTP_PORT"] = String(httpPort ?? 0)
        return environment
    }

    func log(_ process: String) -> URL { work.appendingPathComponent("\(process).log") }

    func tail(_ process: String) -> String { KillAndResumeTests.tail(log(process)) }

    /// Starts a long-running `newsbot ARGS` on its own HTTP port; returns that port.
    @discardableResult
    func launch(_ processName: String, _ arguments: [String]) throws -> Int {
        let port = try FreePort.next()
        let process = try binary.start(arguments, environment: environment(httpPort: port), log: log(processName))
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
        await simulator.stop()
        gnewsTask.cancel()
        for server in ["rabbitmq-\(name)", "redis-\(name)", "replica-\(name)"] { _ = try? servers.ctl("stop", server) }
        _ = try? Self.psql(servers.databaseURL, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        // NEWSBOT_KEEP_SERVERS_DIR=1 (scripts/test's switch to keep logs) keeps the processes' logs too.
        if ProcessInfo.processInfo.environment["NEWSBOT_KEEP_SERVERS_DIR"] != "1" {
            try? FileManager.default.removeItem(at: work)
        } else {
            print("scaled-out logs kept in \(work.path)")
        }
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
