import ArgumentParser
import Core
import Foundation
import Logging
import Pipeline

/// `newsbot pipeline run --slot HH:MM [--date YYYY-MM-DD] [--pipeline FILE] [--wait]`.
///
/// Triggers the run here (created once; triggering it again resumes it). With `--wait` it shows
/// progress until the run ends; on the embedded queue (no `AMQP_URL`) nobody else consumes the
/// jobs, so this process runs the stage workers itself while it waits. Scaled out, the
/// `newsbot worker` processes do the work and this only watches.
struct PipelineRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Trigger one slot run; with --wait show progress until it ends."
    )

    @Option(help: "The slot, HH:MM in each subscriber's local time.")
    var slot: String

    @Option(help: "The local date, YYYY-MM-DD (default: today in UTC).")
    var date: String?

    @Option(help: "Pipeline name (pipelines/NAME.yml) or a YAML file.")
    var pipeline: String = "daily"

    @Flag(help: "Show progress until the run ends.")
    var wait = false

    @Option(help: "Concurrent jobs per stage for the in-process workers.")
    var concurrency: Int = 4

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard Slot(slot) != nil else { throw ValidationError("--slot must be HH:MM, got '\(slot)'") }
        if let date, LocalDate(date) == nil { throw ValidationError("--date must be YYYY-MM-DD, got '\(date)'") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let logger = Logger(label: "newsbot.pipeline")
        let definitions = try PipelineAssembly.loadPipelines([pipeline])
        let key = SlotRunKey(pipeline: definitions[0].name, slot: Slot(slot)!,
                             date: date.flatMap(LocalDate.init) ?? LocalDate(Date(), in: TimeZone(identifier: "UTC")!))
        let runtime = try await Runtime.build(configuration, logger: logger)
        let runsLocally = wait && configuration.amqpURL == nil
        let assembly: PipelineAssembly? = runsLocally
            ? try PipelineAssembly(runtime: runtime, configuration: configuration, pipelines: definitions,
                                   telegram: PipelineAssembly.telegramClient(configuration, logger: logger),
                                   concurrency: concurrency, logger: logger)
            : nil

        let exitCode: Int32 = try await runtime.withServices {
            let report = try await SlotRunCoordinator(store: runtime.store, queue: runtime.queue, logger: logger).trigger(key)
            print("run \(key) \(report.created ? "created" : "resumed"): \(report.usersDue) users due, "
                  + "\(report.fetchJobs) fetch, \(report.renderJobs) render, \(report.deliveryJobs) delivery jobs queued")
            guard wait else { return 0 }
            let monitor = RunMonitor(store: runtime.store)
            let display = ProgressDisplay()
            let progress: RunProgress = try await withThrowingTaskGroup(of: RunProgress?.self) { group in
                if let assembly {
                    group.addTask { try await assembly.workers.run(); return nil }
                }
                group.addTask {
                    try await monitor.waitForCompletion(key) { progress in display.show(progress.line) }
                }
                while let result = try await group.next() {
                    if let progress = result {
                        group.cancelAll()
                        return progress
                    }
                }
                throw NewsbotError(.internal, "workers stopped before run \(key) finished")
            }
            try await runtime.store.markRunCompleted(key, at: Date())
            display.finish(progress.summary)
            return progress.counts.messagesFailed > 0 ? 2 : 0
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
