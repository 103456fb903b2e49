import Foundation
import Synchronization
import Telegram
import TelegramSim

/// What every end-to-end deployment stands on: the built `newsbot`, a temp work directory
/// holding a fixture pipeline copy (and the processes' logs), the in-process TelegramSim and a
/// fake GNews serving the morning batch, and the environment that points a `newsbot` process at
/// them. `EmbeddedDeployment` and `ScaledOutDeployment` add their stores around it.
final class DeploymentFixture: Sendable {
    static let news = NewsbotBinary.repository.appendingPathComponent("fixtures/batches/morning/news")

    let binary: NewsbotBinary
    let work: URL
    let pipelineFile: URL
    let simulator: TelegramSimulator
    let gnews: FakeGNewsServer
    private let gnewsKey: String
    private let gnewsTask = Mutex<Task<Void, any Error>?>(nil)
    private let simulatorPort = Mutex(0)

    /// Creates the work directory and the pipeline copy; the servers start with `start()`.
    /// - Parameters:
    ///   - name: the pipeline copy's name (its runs are keyed by it); also names the directory.
    ///   - globalRate: the pipeline's global send rate, when not the fixture's 30/s.
    init(name: String, rateLimits: SimulatorRateLimits, globalRate: Int? = nil) throws {
        binary = try NewsbotBinary()
        work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        pipelineFile = try FixturePipeline.write(named: name, in: work, globalRate: globalRate)
        gnewsKey = "e2e-\(name)-key"
        simulator = TelegramSimulator(configuration: .init(rateLimits: rateLimits))
        gnews = FakeGNewsServer(newsDirectory: Self.news)
    }

    /// Starts the simulator and the fake GNews, and waits for GNews to listen; returns the
    /// simulator's port.
    func start() async throws -> Int {
        let port = try await simulator.start()
        simulatorPort.withLock { $0 = port }
        let gnews = gnews
        gnewsTask.withLock { $0 = Task { try await gnews.run(ready: {}) } }
        while gnews.baseURL.hasSuffix(":0") { try await Task.sleep(for: .milliseconds(20)) }
        return port
    }

    /// Telegram and GNews as the fakes serve them, quiet logs: what every `newsbot` process gets.
    ///
    /// The GNews budget is spread over the real UTC day and, on Redis, shared by every test that
    /// uses the same server: under the default 100 a run in the first hour after midnight may ask
    /// only 5 times in all, and digests of topics past that had no news. The fake answers
    /// everything, so these processes get a budget no test run reaches (≥ 4,000 an hour).
    var environment: [String: String] {
        [
            "TELEGRAM_API_URL": "http://127.0.0.1:\(simulatorPort.withLock { $0 })",
            "TELEGRAM_BOT_TOKEN": TelegramSimulator.Configuration.defaultToken.rawValue,
            "GNEWS_API_URL": gnews.baseURL,
            "GNEWS_API_KEY": gnewsKey,
            "GNEWS_DAILY_QUOTA": "100000",
            "LOG_LEVEL": "warning",
        ]
    }

    func log(_ name: String) -> URL { work.appendingPathComponent("\(name).log") }

    /// Stops the simulator and the fake GNews, and removes the work directory unless `keepingWork`.
    func tearDown(keepingWork: Bool = false) async {
        gnewsTask.withLock { $0?.cancel() }
        await simulator.stop()
        if !keepingWork { try? FileManager.default.removeItem(at: work) }
    }
}
