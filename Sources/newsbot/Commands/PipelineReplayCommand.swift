import ArgumentParser
import Core
import Foundation
import Pipeline

/// `newsbot pipeline replay BATCH_DIR [--out DIR] [--check]`: QA replay of a fixture batch.
struct PipelineReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a fixture news batch through every stage; write or check the digests."
    )

    @Argument(help: "The batch folder (batch.yml, users.json, news/, expected/).")
    var batch: String

    @Option(help: "Write digests.jsonl, summary.json and index.html here.")
    var out: String?

    @Flag(help: "Compare with the batch's expected/ folder; exit 1 on any difference.")
    var check = false

    func run() async throws {
        let configuration = try AppConfiguration.load()
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let directory = URL(fileURLWithPath: batch, isDirectory: true)
        let outputDirectory = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let (result, differences) = try await ReplayRunner().run(batch: directory, outputDirectory: outputDirectory, check: check)
        let summary = result.summary
        print("replayed \(batch): \(summary.usersDue) users due, \(summary.digests) digests, \(summary.messages) messages, "
              + "\(summary.sourceCalls) source calls, \(summary.cacheHits) cache hits")
        if let out { print("wrote \(out)/digests.jsonl, summary.json, index.html") }
        guard check else { return }
        if differences.isEmpty {
            print("check: output matches \(batch)/expected")
            return
        }
        for difference in differences { print("check: \(difference)") }
        throw ExitCode(1)
    }
}
