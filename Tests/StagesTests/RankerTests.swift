import Foundation
import Testing
import Core
@testable import Stages

@Suite struct RankerTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func article(_ title: String, _ url: String, publisher: String, origin: String = "gnews", hoursAgo: Double? = 1,
                 summary: String = "") -> Article {
        Article(title: title, url: url, summary: summary, publishedAt: hoursAgo.map { now.addingTimeInterval(-$0 * 3600) },
                sourceName: publisher, origin: origin)
    }

    @Test func clustersTheSameStoryAcrossSources() {
        let articles = [
            article("Python 3.14 released with free-threading", "https://python.org/news/314?utm_source=x", publisher: "Python Insider", hoursAgo: 1),
            article("Python 3.14 released, free-threading arrives", "https://lwn.net/Articles/1", publisher: "LWN", origin: "lwn", hoursAgo: 2),
            article("Python 3.14 is released with free threading", "https://www.theregister.com/py314", publisher: "The Register", hoursAgo: 3),
            article("Rust 2.0 roadmap published", "https://blog.rust-lang.org/roadmap", publisher: "Rust Blog", hoursAgo: 1.5),
        ]
        let items = Ranker(policy: RankPolicy(topK: 10, maxPerSource: 5)).rank(articles, now: now)
        #expect(items.count == 2)
        let python = try! #require(items.first { $0.title.hasPrefix("Python") })
        #expect(python.sourceName == "Python Insider")
        #expect(python.url == "https://python.org/news/314")
        #expect(python.otherSources == ["LWN", "The Register"])
        #expect(python.clusterURLs == ["https://python.org/news/314", "https://lwn.net/Articles/1", "https://theregister.com/py314"])
    }

    @Test func sameURLIsOneStoryEvenWithDifferentTitles() {
        let articles = [
            article("Big news today", "https://example.com/a?utm_medium=rss", publisher: "A"),
            article("Something else entirely", "https://www.example.com/a", publisher: "B", hoursAgo: 2),
        ]
        let items = Ranker().rank(articles, now: now)
        #expect(items.count == 1)
        #expect(items[0].otherSources == ["B"])
    }

    @Test func ordersByRecencyAndSourceWeight() {
        let articles = [
            article("Old story about databases", "https://a.com/1", publisher: "A", hoursAgo: 24),
            article("Fresh story about compilers", "https://b.com/2", publisher: "B", hoursAgo: 1),
            article("Weighted story about kernels", "https://c.com/3", publisher: "C", origin: "heavy", hoursAgo: 12),
        ]
        let ranker = Ranker(policy: RankPolicy(topK: 10, maxPerSource: 5, halfLifeHours: 12), sourceWeights: ["heavy": 4])
        let items = ranker.rank(articles, now: now)
        // heavy: 4 × 0.5 = 2; fresh: 0.5^(1/12) ≈ 0.94; old: 0.25.
        #expect(items.map(\.title) == ["Weighted story about kernels", "Fresh story about compilers", "Old story about databases"])
        #expect(items[0].score > items[1].score && items[1].score > items[2].score)
    }

    @Test func publisherWeightsApply() {
        let articles = [
            article("Story one about rockets", "https://a.com/1", publisher: "Tabloid", hoursAgo: 1),
            article("Story two about oceans", "https://b.com/2", publisher: "Quality Paper", hoursAgo: 5),
        ]
        let policy = RankPolicy(topK: 10, publisherWeights: ["quality paper": 3, "Tabloid": 0.5])
        #expect(Ranker(policy: policy).rank(articles, now: now).map(\.sourceName) == ["Quality Paper", "Tabloid"])
    }

    @Test func dropsTooOldUnlinkedAndUntitled() {
        let articles = [
            article("Ancient story about history", "https://a.com/1", publisher: "A", hoursAgo: 100),
            article("Script link story", "javascript:alert(1)", publisher: "B"),
            article("   ", "https://c.com/3", publisher: "C"),
            article("Undated story about weather", "https://d.com/4", publisher: "D", hoursAgo: nil),
            article("Fine story about science", "https://e.com/5", publisher: "E"),
        ]
        let items = Ranker(policy: RankPolicy(topK: 10, maxAgeHours: 72)).rank(articles, now: now)
        #expect(items.map(\.title) == ["Fine story about science", "Undated story about weather"])
    }

    @Test func keepsDiversityAndTopK() {
        var articles: [Article] = []
        let subjects = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
        for (i, subject) in subjects.enumerated() {
            articles.append(article("Big \(subject) announcement number \(i)", "https://big.com/\(i)", publisher: "BigPaper", hoursAgo: Double(i) * 0.1))
        }
        articles.append(article("Small outlet covers zulu", "https://small.com/z", publisher: "Small", hoursAgo: 5))
        let items = Ranker(policy: RankPolicy(topK: 3, maxPerSource: 2)).rank(articles, now: now)
        #expect(items.count == 3)
        #expect(items.filter { $0.sourceName == "BigPaper" }.count == 2)
        #expect(items.map(\.url) == ["https://big.com/0", "https://big.com/1", "https://small.com/z"])
    }

    @Test func outputDoesNotDependOnInputOrder() {
        let articles = (0..<30).map { i in
            article("Story \(i % 7) about topic \(i % 5)", "https://site\(i % 4).com/\(i)", publisher: "P\(i % 4)",
                    hoursAgo: Double(i % 3))
        }
        let ranker = Ranker(policy: RankPolicy(topK: 10, maxPerSource: 3))
        let expected = ranker.rank(articles, now: now)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<10 {
            #expect(ranker.rank(articles.shuffled(using: &generator), now: now) == expected)
        }
    }
}

/// A small deterministic generator (SplitMix64) so shuffles are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
