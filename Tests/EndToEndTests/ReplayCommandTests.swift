import Foundation
import Testing

/// `newsbot pipeline replay` on the committed fixture batch: matches its golden output, and two
/// replays give identical bytes.
@Suite("pipeline replay on fixtures/batches/morning")
struct ReplayCommandTests {
    @Test func replayMatchesGoldenFilesAndIsByteIdentical() async throws {
        let binary = try NewsbotBinary()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let log = work.appendingPathComponent("replay.log")
        let batch = "fixtures/batches/morning"

        #expect(try await binary.run(["pipeline", "replay", batch, "--check"], environment: ["LOG_LEVEL": "warning"], log: log) == 0,
                "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        for name in ["a", "b"] {
            #expect(try await binary.run(["pipeline", "replay", batch, "--out", work.appendingPathComponent(name).path],
                                         environment: ["LOG_LEVEL": "warning"], log: log) == 0)
        }
        for file in ["digests.jsonl", "summary.json", "index.html"] {
            let a = try Data(contentsOf: work.appendingPathComponent("a/\(file)"))
            let b = try Data(contentsOf: work.appendingPathComponent("b/\(file)"))
            #expect(!a.isEmpty)
            #expect(a == b, "\(file) differs between two replays")
        }
    }

    @Test func checkFailsWhenTheGoldenOutputDiffers() async throws {
        let binary = try NewsbotBinary()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let source = NewsbotBinary.repository.appendingPathComponent("fixtures/batches/morning")
        let copy = work.appendingPathComponent("morning")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: copy)
        // Change one golden line: --check must notice and exit non-zero.
        let golden = copy.appendingPathComponent("expected/summary.json")
        let text = try String(contentsOf: golden, encoding: .utf8)
        try text.replacingOccurrences(of: "\"users_due\": 31", with: "\"users_due\": 32").write(to: golden, atomically: true, encoding: .utf8)
        let log = work.appendingPathComponent("replay.log")
        let status = try await binary.run(["pipeline", "replay", copy.path, "--check"], environment: ["LOG_LEVEL": "warning"], log: log)
        #expect(status != 0)
        #expect(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("summary.json"))
    }
}
