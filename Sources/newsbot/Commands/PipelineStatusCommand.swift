import ArgumentParser
import Core
import Foundation
import Logging
import Stages

/// `newsbot pipeline status [RUN]`: slot runs with their counts, queue depths, and the GNews
/// requests made and left today (of `GNEWS_DAILY_QUOTA`).
struct PipelineStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show slot runs and their counts (one run: PIPELINE/HH:MM/YYYY-MM-DD)."
    )

    @Argument(help: "A run, e.g. daily/08:00/2026-11-26; default: the most recent runs.")
    var run: String?

    @Option(help: "How many recent runs to list.")
    var limit: Int = 10

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let runtime = try await Runtime.build(configuration, logger: Logger(label: "newsbot.status"))
        let key: SlotRunKey? = try run.map { text in
            guard let key = SlotRunKey(text) else {
                throw ValidationError("RUN must look like daily/08:00/2026-11-26, got '\(text)'")
            }
            return key
        }
        // GNews source names come from the default pipeline; without one, the usual name.
        let pipelines = (try? PipelineAssembly.loadPipelines(["daily"]))
            ?? [PipelineDefinition(name: "daily")]
        let quota = configuration.gnewsDailyQuota
        let lines: [String] = try await runtime.withServices {
            var lines: [String] = []
            let runs: [SlotRun]
            if let key {
                guard let found = try await runtime.store.run(key) else {
                    throw NewsbotError(.notFound, "no run \(key)")
                }
                runs = [found]
            } else {
                runs = try await runtime.store.runs(limit: limit)
            }
            if runs.isEmpty { lines.append("no runs yet") }
            for run in runs { lines.append(Self.describe(run)) }
            for queue in QueueName.pipelineQueues {
                let stats = try await runtime.queue.stats(queue)
                lines.append("queue \(queue): ready \(stats.ready), in flight \(stats.inFlight), delayed \(stats.delayed), dead \(stats.deadLettered)")
            }
            let now = Date()
            for gnews in try await SourceStatusReport.GNewsLine.collect(pipelines: pipelines, cache: runtime.newsCache,
                                                                        quota: quota, now: now) {
                lines.append(gnews.text(at: now))
            }
            return lines
        }
        for line in lines { print(line) }
    }

    static func describe(_ run: SlotRun) -> String {
        let c = run.counts
        let state = run.completedAt != nil ? "completed" : (run.isFinished ? "finished" : "running")
        let skipped = c.usersSkipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(run.key) \(state): users due \(c.usersDue), pending \(c.usersPending), with digest \(c.usersWithDigest)"
            + (skipped.isEmpty ? "" : ", skipped (\(skipped))")
            + "; messages \(c.messages), delivered \(c.messagesDelivered), failed \(c.messagesFailed), pending \(c.messagesPending)"
    }
}
