import ArgumentParser
import Core
import Foundation
import Logging
import Stages

/// `newsbot sources status`: per configured topic and source the last fetch time, outcome, item
/// count and cache state, and the GNews requests used and left today — read from the news cache
/// the fetch stage writes, so it shows what every process did.
struct SourcesStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each topic's sources: last fetch, outcome, items, cache; GNews requests today."
    )

    @Option(name: .customLong("pipeline"), help: "Pipeline name or path (repeatable); default: daily.")
    var pipelines: [String] = []

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let definitions = try PipelineAssembly.loadPipelines(pipelines.isEmpty ? ["daily"] : pipelines)
        let runtime = try await Runtime.build(configuration, logger: Logger(label: "newsbot.sources"))
        let quota = configuration.gnewsDailyQuota
        let lines: [String] = try await runtime.withServices {
            var lines: [String] = []
            for (index, pipeline) in definitions.enumerated() {
                let report = try await SourceStatusReport.collect(pipeline: pipeline, cache: runtime.newsCache,
                                                                  gnewsQuota: quota, now: Date())
                if index > 0 { lines.append("") }
                lines += report.lines
            }
            return lines
        }
        lines.forEach { print($0) }
    }
}
