import Foundation
import Testing
import Core
@testable import Stages

@Suite struct FixtureNewsSourceTests {
    @Test func readsGNewsAndFeedFixtures() async throws {
        let batch = try TemporaryDirectory()
        defer { batch.remove() }
        try batch.write(SampleFeeds.gnews, to: "news/gnews/en/machine learning.json")
        try batch.write(SampleFeeds.rss, to: "news/rss/planet.xml")
        let definition = PipelineDefinition(name: "daily", sources: [
            SourceDefinition(name: "gnews", kind: .gnews), SourceDefinition(name: "planet", kind: .feed),
        ])
        let registry = FixtureNewsSource.registry(for: definition, batchDirectory: batch.url)
        let query = NewsQuery(topic: Topic("  Machine   LEARNING ")!, language: .en)

        let gnews = try await #require(registry["gnews"]).fetch(query)
        #expect(gnews.map(\.title) == ["Python 3.14 released", "Пайтон для всех"])
        #expect(gnews[0].sourceName == "Python Insider")
        #expect(gnews[0].origin == "gnews")
        #expect(gnews[0].summary == "Free-threading & more")
        #expect(gnews[0].publishedAt == Date(timeIntervalSince1970: 1_795_672_800))

        let feed = try await #require(registry["planet"]).fetch(query)
        #expect(feed.map(\.title) == ["Typing in Python 3.14"])
        #expect(feed[0].sourceName == "Planet Python")
        #expect(feed[0].summary == "All about typing")
        #expect(feed[0].origin == "planet")
    }

    @Test func aMissingFileMeansNoNews() async throws {
        let batch = try TemporaryDirectory()
        defer { batch.remove() }
        let source = FixtureNewsSource(name: "gnews", kind: .gnews, batchDirectory: batch.url)
        #expect(try await source.fetch(NewsQuery(topic: Topic("rust")!, language: .ru)).isEmpty)
        #expect(try await source.fetch(NewsQuery(topic: Topic("../etc/passwd")!, language: .ru)).isEmpty)
    }

    @Test func gnewsErrorBodiesFailLikeTheRealService() async throws {
        let batch = try TemporaryDirectory()
        defer { batch.remove() }
        try batch.write(SampleFeeds.quotaError, to: "news/gnews/en/ai.json")
        try batch.write("<html><body>Not a feed</body></html>", to: "news/rss/broken.xml")
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let gnews = FixtureNewsSource(name: "gnews", kind: .gnews, batchDirectory: batch.url, clock: TestClock(now))
        await #expect(throws: NewsSourceError.quotaExhausted(resetAt: GNewsErrors.nextResetTime(after: now))) {
            try await gnews.fetch(NewsQuery(topic: Topic("ai")!, language: .en))
        }
        let broken = FixtureNewsSource(name: "broken", kind: .feed, batchDirectory: batch.url)
        await #expect(throws: NewsSourceError.self) { try await broken.fetch(NewsQuery(topic: Topic("ai")!, language: .en)) }
    }

    @Test func nextResetIsMidnightUTC() {
        let now = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18T11:06:40Z
        let reset = GNewsErrors.nextResetTime(after: now)
        #expect(reset.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0)
        #expect(reset > now && reset.timeIntervalSince(now) <= 86_400)
    }
}
