import Foundation
import Telegram
import TelegramSim

/// newsbot on embedded defaults for an end-to-end test: a temp directory holding the SQLite
/// file and a fixture pipeline copy, the in-process TelegramSim (Telegram's limits) and a fake
/// GNews serving the morning batch, and the environment a `newsbot` process needs to use them.
/// `tearDown()` stops the servers and removes the directory.
final class EmbeddedDeployment: Sendable {
    static let news = NewsbotBinary.repository.appendingPathComponent("fixtures/batches/morning/news")

    let binary: NewsbotBinary
    let work: URL
    let pipelineFile: URL
    let simulator: TelegramSimulator
    let gnews: FakeGNewsServer
    let environment: [String: String]
    private let gnewsTask: Task<Void, any Error>

    var databasePath: String { work.appendingPathComponent("newsbot.sqlite").path }

    /// - Parameter pipeline: the pipeline copy's name (its runs are keyed by it).
    init(pipeline: String, extraEnvironment: [String: String] = [:]) async throws {
        binary = try NewsbotBinary()
        work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-\(pipeline)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        pipelineFile = try FixturePipeline.write(named: pipeline, in: work)
        simulator = TelegramSimulator(configuration: .init(rateLimits: .telegram))
        let simulatorPort = try await simulator.start()
        let gnews = FakeGNewsServer(newsDirectory: Self.news)
        self.gnews = gnews
        gnewsTask = Task { try await gnews.run(ready: {}) }
        while gnews.baseURL.hasSuffix(":0") { try await Task.sleep(for: .milliseconds(20)) }
        environment = [
            "DATABASE_URL": "sqlite:" + work.appendingPathComponent("newsbot.sqlite").path,
            "TELEGRAM_API_URL": "http://127.0.0.1:\(simulatorPort)",
            "TELEGRAM_BOT_TOKEN": TelegramSimulator.Configuration.defaultToken.rawValue,
            "GNEWS_API_URL": gnews.baseURL,
            "GNEWS_API_KEY": "e2e-\(pipeline)-key",
            "LOG_LEVEL": "warning",
        ].merging(extraEnvironment) { $1 }
    }

    func log(_ name: String) -> URL { work.appendingPathComponent("\(name).log") }

    func tearDown() async {
        gnewsTask.cancel()
        await simulator.stop()
        try? FileManager.default.removeItem(at: work)
    }
}

extension EmbeddedDeployment {
    /// Runs `body` with a fresh deployment, tearing it down afterwards, also when `body` throws.
    static func with<T: Sendable>(pipeline: String, extraEnvironment: [String: String] = [:],
                                  _ body: (EmbeddedDeployment) async throws -> T) async throws -> T {
        let deployment = try await EmbeddedDeployment(pipeline: pipeline, extraEnvironment: extraEnvironment)
        do {
            let result = try await body(deployment)
            await deployment.tearDown()
            return result
        } catch {
            await deployment.tearDown()
            throw error
        }
    }
}
