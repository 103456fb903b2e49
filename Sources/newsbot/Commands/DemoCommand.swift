import ArgumentParser
import Core
import Delivery
import Foundation
import Logging
import Pipeline
import SQLiteBackend
import Stages
import Telegram
import TelegramSim

/// `newsbot demo`: offline end to end on embedded defaults. Seeds a fixture batch's users into a
/// fresh SQLite file, starts the Telegram simulator in-process with Telegram's limits, runs the
/// slot through every stage and delivery, and prints what happened — checked, not just counted.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Offline end-to-end run on embedded defaults against the in-process Telegram simulator."
    )

    @Option(help: "The fixture batch to seed users and news from.")
    var batch: String = "fixtures/batches/morning"

    @Option(name: .customLong("global-rate"), help: "The simulator's and the sender's global limit, messages/s.")
    var globalRate: Int = 30

    @Option(help: "SQLite file for the demo (default: a fresh file under ./var, removed afterwards).")
    var database: String?

    func validate() throws {
        guard globalRate > 0 else { throw ValidationError("--global-rate must be at least 1") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = try AppConfiguration.load()
        LoggingSetup.bootstrap(level: environment["LOG_LEVEL"] == nil ? .warning : configuration.logLevel,
                               format: configuration.logFormat)
        let logger = Logger(label: "newsbot.demo")

        let replay = try ReplayBatch.load(URL(fileURLWithPath: batch, isDirectory: true))
        var pipeline = replay.pipeline
        pipeline.delivery.globalRate = Double(globalRate)

        let path = database ?? "./var/demo-\(ProcessInfo.processInfo.processIdentifier).sqlite"
        configuration.databaseURL = Secret("sqlite:" + path)
        configuration.redisURL = nil
        configuration.amqpURL = nil
        defer {
            if database == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }

        var limits = SimulatorRateLimits.telegram
        limits.globalPerSecond = globalRate
        // The simulator's own server logs (e.g. its listener being cancelled at the end) are not news here.
        var simulatorLogger = Logger(label: "newsbot.telegram-sim")
        simulatorLogger.logLevel = .critical
        let simulator = TelegramSimulator(configuration: .init(rateLimits: limits), logger: simulatorLogger)
        _ = try await simulator.start()
        defer { Task { await simulator.stop() } }

        let started = Date()
        let fetchClock = OffsetClock(startingAt: replay.now)
        let runtime = try await Runtime.build(configuration, logger: logger)
        try await runtime.store.upsert(replay.users)
        let assembly = try PipelineAssembly(
            runtime: runtime, configuration: configuration, pipelines: [pipeline],
            sources: FixtureNewsSource.registry(for: pipeline, batchDirectory: replay.directory, clock: fetchClock),
            telegram: TelegramClient(configuration: simulator.clientConfiguration(), logger: logger),
            concurrency: 4, fetchClock: fetchClock, logger: logger)

        // One run per local date: at the batch's instant some zones are already on another day.
        let due = replay.dueUsers
        var zonesByDate: [LocalDate: Set<String>] = [:]
        for user in due { zonesByDate[LocalDate(replay.now, in: user.resolvedTimeZone), default: []].insert(user.timeZone ?? "UTC") }
        let keys = zonesByDate.keys.sorted().map { SlotRunKey(pipeline: pipeline.name, slot: replay.slot, date: $0) }

        print("newsbot demo: \(replay.users.count) fixture users (\(due.count) due at \(replay.slot)), "
              + "Telegram simulator on port \(simulator.port ?? 0) at \(globalRate) msg/s, SQLite \(path)")
        let coordinator = assembly.environment.coordinator()
        for key in keys { try await coordinator.trigger(key, timeZones: zonesByDate[key.date]) }

        let monitor = RunMonitor(store: runtime.store, pollInterval: .milliseconds(200))
        let display = ProgressDisplay()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await assembly.workers.run(); return false }
            group.addTask {
                for key in keys {
                    _ = try await monitor.waitForCompletion(key, timeout: .seconds(600)) { display.show($0.line) }
                }
                return true
            }
            while let finished = try await group.next() {
                if finished { break }
            }
            group.cancelAll()
        }
        let elapsed = Date().timeIntervalSince(started)

        let report = try await DemoReport.collect(keys: keys, due: due, store: runtime.store, simulator: simulator,
                                                  fetch: assembly.fetcher.statistics, delivery: assembly.delivery.counters,
                                                  elapsed: elapsed)
        display.finish(report.text)
        if !report.passed { throw ExitCode(1) }
    }
}
