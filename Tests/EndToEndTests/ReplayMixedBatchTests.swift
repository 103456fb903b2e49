import Foundation
import Testing

/// `newsbot pipeline replay` on `fixtures/batches/mixed`: GNews and RSS/Atom feeds answer the
/// same topics, and a story both carry is clustered into one digest item naming the other source.
@Suite("pipeline replay on fixtures/batches/mixed")
struct ReplayMixedBatchTests {
    static let batch = "fixtures/batches/mixed"

    /// Stories the batch's GNews responses and feeds both carry, under slightly different titles
    /// and URLs: (words of the title, GNews URL, feed URL).
    static let sharedStories = [
        ("Python 3.15 released with a free-threaded interpreter",
         "https://devnews.example/python/python-3-15-released", "https://planet.python.example/2026/11/26/python-3-15"),
        ("COP31 deal: rich nations pledge $300bn a year for climate finance",
         "https://worldwire.example/climate/cop31-finance-deal?ref=gnews", "https://climate-desk.example/stories/cop31-finance"),
    ]

    @Test func matchesItsGoldenFiles() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-mixed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let log = work.appendingPathComponent("replay.log")
        let status = try await NewsbotBinary().run(["pipeline", "replay", Self.batch, "--check"], environment: ["LOG_LEVEL": "error"], log: log)
        #expect(status == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    @Test func aStoryCarriedByGNewsAndAFeedIsOneItem() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-mixed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let out = work.appendingPathComponent("out")
        let status = try await NewsbotBinary().run(["pipeline", "replay", Self.batch, "--out", out.path],
                                                   environment: ["LOG_LEVEL": "error"], log: work.appendingPathComponent("replay.log"))
        try #require(status == 0)
        let messages = try String(contentsOf: out.appendingPathComponent("digests.jsonl"), encoding: .utf8)
            .split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(messages.count == 4)
        for (title, gnewsURL, feedURL) in Self.sharedStories {
            let carrying = messages.filter { ($0["text"] as? String ?? "").contains(title) }
            #expect(!carrying.isEmpty, "no digest carries \(title)")
            for message in carrying {
                let text = message["text"] as? String ?? ""
                #expect(text.components(separatedBy: title).count == 2, "\(title) appears more than once: \(text)")
                let line = text.split(separator: "\n").first { $0.contains(title) } ?? ""
                #expect(line.contains("+1 source"), "\(line)")
                let urls = message["urls"] as? [String] ?? []
                #expect(urls.contains(gnewsURL) && urls.contains(feedURL), "both sources' URLs are recorded as delivered: \(urls)")
            }
        }
        // `space` had GNews' quota error and still got news from a feed.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        #expect(summary?["source_failures"] as? Int == 1)
        #expect(messages.contains { ($0["text"] as? String ?? "").contains("<b>Space</b>") })
    }
}
