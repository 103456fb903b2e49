import ArgumentParser
import Feeds
import Foundation
import Stages

/// `newsbot sources check FILE_OR_URL… [--json]`: parses each input exactly as the fetch stage
/// would (same downloader, same parser, same limits) and reports per input. One bad input never
/// stops the others; the exit status is 1 when any failed (DESIGN.md CLI contract).
struct SourcesCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse feeds / GNews responses (files or http(s) URLs) and report per input."
    )

    @Argument(help: "Files or http(s) URLs: RSS 2.0, RSS 1.0/RDF, Atom, or a GNews /search response.")
    var inputs: [String]

    @Flag(help: "One JSON line per input: {\"file\", \"ok\", \"error\", \"items\": [{\"title\", \"link\", \"published\"}]}.")
    var json = false

    @Option(help: "Seconds allowed per input to download (URLs) and, separately, to parse.")
    var timeout: Double = 15

    @Option(name: .customLong("max-bytes"), help: "Largest file or response body accepted, in bytes.")
    var maxBytes: Int = 8 << 20

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one file or URL") }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be positive") }
    }

    func run() async throws {
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        let checker = SourceChecker(parser: FeedParser.Configuration(maxBytes: maxBytes, timeLimit: limit), timeout: limit)
        var failed = 0
        for (index, input) in inputs.enumerated() {
            let result = await checker.check(input)
            if !result.ok { failed += 1 }
            if json {
                print(result.jsonLine)
            } else {
                if index > 0 { print("") }
                result.summaryLines.forEach { print($0) }
            }
        }
        if !json { print("\n\(inputs.count - failed) of \(inputs.count) inputs parsed") }
        if failed > 0 { throw ExitCode(1) }
    }
}
