import ArgumentParser
import Core
import Foundation
import Logging
import Pipeline

/// `newsbot loadtest pipeline --users N`: N due users through trigger → fetch → rank → render →
/// fan-out on a fresh SQLite file; prints the time and the peak memory.
struct LoadtestPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pipeline", abstract: "Time one slot run up to fan-out.")

    @Option(help: "Due users.")
    var users: Int = 100_000

    @Option(help: "Distinct topics (each user holds 1–4 of them, in en or ru).")
    var topics: Int = 40

    @Option(help: "Concurrent jobs per stage.")
    var concurrency: Int = 2

    func run() async throws {
        LoggingSetup.bootstrap(level: .warning, format: .text)
        let logger = Logger(label: "newsbot.loadtest")
        let scratch = LoadtestScratchDatabase("pipeline")
        defer { scratch.remove() }
        let configuration = try scratch.embeddedConfiguration()
        let runtime = try await Runtime.build(configuration, logger: logger)

        let names = (0..<topics).map { "topic \($0)" }
        let subscribers = (0..<users).map { index -> Subscriber in
            let count = 1 + index % 4
            let chosen = (0..<count).compactMap { Topic(names[(index * 7 + $0 * 13) % names.count]) }
            return Subscriber(id: Int64(index + 1), chatID: Int64(index + 1), language: index % 3 == 0 ? .ru : .en,
                              timeZone: "UTC", slots: [Slot("08:00")!], topics: chosen)
        }
        let seeding = ContinuousClock.now
        for chunk in stride(from: 0, to: subscribers.count, by: 10_000) {
            try await runtime.store.upsert(Array(subscribers[chunk..<min(chunk + 10_000, subscribers.count)]))
        }
        let seeded = ContinuousClock.now - seeding

        var pipeline = PipelineDefinition(name: "loadtest")
        pipeline.rank.maxAgeHours = 1_000_000
        let clock = SystemClock()
        let assembly = try PipelineAssembly(
            runtime: runtime, configuration: configuration, pipelines: [pipeline],
            sources: ["gnews": SyntheticNewsSource(articlesPerTopic: 20, clock: clock)],
            telegram: UnavailableTelegram(), stages: [.trigger, .fetch, .render], concurrency: concurrency, logger: logger)
        let key = SlotRunKey(pipeline: "loadtest", slot: Slot("08:00")!, date: LocalDate(Date(), in: TimeZone(identifier: "UTC")!))

        let started = ContinuousClock.now
        let report = try await assembly.environment.coordinator().trigger(key)
        let monitor = RunMonitor(store: runtime.store, pollInterval: .milliseconds(100))
        let finished: SlotRun = try await withThrowingTaskGroup(of: SlotRun?.self) { group in
            group.addTask { try await assembly.workers.run(); return nil }
            group.addTask {
                // Done when no user is pending: one index probe per poll. The full counts (a
                // GROUP BY over every run user and message) are read once at the end, so the
                // harness does not spend the CPU it is measuring.
                while try await !runtime.store.pendingRunUsers(key, afterID: nil, limit: 1).isEmpty {
                    try await Task.sleep(for: .milliseconds(20))
                }
                return try await monitor.progress(key).run
            }
            while let result = try await group.next() {
                if let run = result { group.cancelAll(); return run }
            }
            throw NewsbotError(.internal, "workers stopped early")
        }
        let elapsed = ContinuousClock.now - started
        let queued = try await runtime.queue.stats(.deliver)
        let seconds = elapsed.timeInterval
        print("loadtest pipeline: \(users) users due (\(report.fetchJobs) topic-language pairs), seeded in \(Self.format(seeded.timeInterval))")
        print("  trigger → fetch → rank → render → fan-out: \(Self.format(seconds)) "
              + "(\(Int(Double(users) / max(seconds, 0.001))) users/s)")
        print("  digests: \(finished.counts.usersWithDigest), messages: \(finished.counts.messages), delivery jobs queued: \(queued.ready)")
        print(PeakMemory.reportLine())
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
}
