import Core
import Foundation
import Logging
import Testing
@testable import Pipeline

@Suite("ReplayRunner")
struct ReplayRunnerTests {
    let runner = ReplayRunner(logger: Logger(label: "test.replay", factory: { _ in SwiftLogNoOpLogHandler() }))
    let scratch = ScratchDirectories()

    @Test func replaysASmallBatchWithTheContractOutputs() async throws {
        let batch = try InlineBatch.write(in: scratch)
        let result = try await runner.run(batch: batch)

        let lines = String(decoding: result.output.digestsJSONL, as: UTF8.self).split(separator: "\n").map(String.init)
        // Users 1 (en, ai + rust) and 3 (ru, ИИ) get a digest; 4 (gardening) has no news; 2 is paused, 5 not at 08:00.
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix(#"{"user_id":1,"chat_id":10,"slot":"08:00","part":1,"parts":1,"text":"<b>📰 Your digest · 08:00</b>"#))
        #expect(lines[1].hasPrefix(#"{"user_id":3,"chat_id":30,"slot":"08:00","part":1,"parts":1,"text":"#))
        #expect(lines[0].contains(#"Tom &amp; Jerry's \"safe\" &lt;AI&gt; 🤖"#), "Telegram HTML escaping, JSON-quoted")
        #expect(lines[0].contains("Rust in the kernel"), "rust names the feed, read from news/rss/tech-feed.xml")
        #expect(lines[0].contains(#""urls":["https://news.example.com/ai-1""#), "normalised URLs, slashes not escaped")

        let summary = result.summary
        #expect(summary.usersDue == 3)
        #expect(summary.digests == 2)
        #expect(summary.messages == 2)
        #expect(summary.skippedUsers == ["no_news": 1])
        #expect(summary.distinctTopicLanguages == 4)   // en:ai, en:rust, en:gardening, ru:ии
        #expect(summary.distinctTopics == 4)
        #expect(summary.sourceCalls == 5, "one per (topic, language), plus the feed rust names")
        #expect(summary.sourceFailures == 0)
        #expect(String(decoding: result.output.summaryJSON, as: UTF8.self) == """
        {
          "now": "2026-11-26T08:00:00Z",
          "slot": "08:00",
          "pipeline": "qa",
          "users_due": 3,
          "digests": 2,
          "messages": 2,
          "distinct_topics": 4,
          "distinct_topic_languages": 4,
          "source_calls": 5,
          "cache_hits": \(summary.cacheHits),
          "source_failures": 0,
          "skipped_users": {
            "no_news": 1
          }
        }

        """)

        let html = String(decoding: result.output.indexHTML, as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains(#"<section class="chat" id="user-1">"#))
        #expect(html.contains("User 1 · chat 10 · en · Pacific/Honolulu · 2026-11-25"), "local date is now in the user's zone")
        #expect(html.contains("no digest (no_news)"))
        #expect(html.contains(#"<a href="https://news.example.com/ai-1" rel="noopener noreferrer nofollow" target="_blank">"#))
        #expect(!html.contains("<script") && !html.contains("http-equiv") && !html.contains("src="), "self-contained, nothing active")
    }

    @Test func sameBatchSameBytesAndCheckFindsTheFirstDifference() async throws {
        let batch = try InlineBatch.write(in: scratch)
        let out = try scratch.make("newsbot-replay-out")
        let first = try await runner.run(batch: batch, outputDirectory: out, check: false)
        let second = try await runner.run(batch: batch)
        #expect(first.result.output == second.output)
        for name in ReplayOutput.fileNames {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path))
        }

        // Golden files equal to the output: --check passes.
        let expected = batch.appendingPathComponent("expected")
        try first.result.output.write(to: expected)
        #expect(try await runner.run(batch: batch, outputDirectory: nil, check: true).differences.isEmpty)

        // A changed golden line is reported with its file and line.
        var summary = String(decoding: first.result.output.summaryJSON, as: UTF8.self)
        summary = summary.replacingOccurrences(of: "\"messages\": 2", with: "\"messages\": 3")
        try Data(summary.utf8).write(to: expected.appendingPathComponent("summary.json"))
        try FileManager.default.removeItem(at: expected.appendingPathComponent("index.html"))
        let differences = try await runner.run(batch: batch, outputDirectory: nil, check: true).differences
        #expect(differences == [
            ReplayDifference(file: "summary.json", line: 7, expected: "  \"messages\": 3,", actual: "  \"messages\": 2,"),
            ReplayDifference(file: "index.html", line: 0, expected: nil, actual: ""),
        ])
        #expect(differences[0].description == #"summary.json:7: expected   "messages": 3,, got   "messages": 2,"#)
    }

    @Test func checkWithoutGoldenFilesIsAnError() async throws {
        let batch = try InlineBatch.write(in: scratch)
        await #expect(throws: NewsbotError.self) { try await runner.run(batch: batch, outputDirectory: nil, check: true) }
    }

    @Test func batchErrorsNameTheFileAndPlace() throws {
        let directory = try InlineBatch.write(in: scratch)
        try Data("now: yesterday\nslot: 8am\nspeed: fast\n".utf8).write(to: directory.appendingPathComponent("batch.yml"))
        #expect {
            try ReplayBatch.load(directory)
        } throws: { error in
            let text = (error as? NewsbotError)?.message ?? ""
            return text.contains("batch.yml:1: now: must be an ISO 8601 instant") && text.contains("batch.yml:2: slot: must be HH:MM")
                && text.contains("batch.yml:3: speed: unknown key") && text.contains("pipeline: is required")
        }

        let users = try InlineBatch.write(in: scratch)
        try Data(#"[{"id": 1, "chat_id": 1, "language": "de", "slots": [], "topics": []}]"#.utf8)
            .write(to: users.appendingPathComponent("users.json"))
        #expect {
            try ReplayBatch.load(users)
        } throws: { error in
            ((error as? NewsbotError)?.message ?? "").hasSuffix("users.json: user 1 (id 1): language must be one of en, ru")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.repositoryRoot.appendingPathComponent("fixtures/batches/morning/batch.yml").path)))
    func theRepositoryMorningBatchIsDeterministic() async throws {
        let batch = TestPaths.repositoryRoot.appendingPathComponent("fixtures/batches/morning")
        let first = try await runner.run(batch: batch)
        let second = try await runner.run(batch: batch)
        #expect(first.output == second.output)
        #expect(first.summary.usersDue > 0)
        #expect(first.summary.digests + first.summary.skippedUsers.values.reduce(0, +) == first.summary.usersDue)
        #expect(first.summary.sourceCalls == first.summary.distinctTopicLanguages, "gnews only: one call per pair")
    }
}
