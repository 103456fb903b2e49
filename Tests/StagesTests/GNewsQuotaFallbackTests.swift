import Foundation
import Testing
import Core
@testable import Stages

/// The fetch stage against a GNews stand-in that answers 403 (daily quota spent) and a real feed
/// over HTTP: it falls back to the feed, does not ask GNews again before 00:00 UTC, and asks
/// again after it. What happened is visible in `sources status`.
@Suite struct GNewsQuotaFallbackTests {
    /// 2026-11-26 10:00 UTC.
    let start = Date(timeIntervalSince1970: 1_795_687_200)
    let python = Topic("python")!

    let pipeline = PipelineDefinition(
        name: "daily",
        sources: [SourceDefinition(name: "gnews", kind: .gnews),
                  SourceDefinition(name: "planet", kind: .feed, weight: 1.2)],
        cache: CachePolicy(ttl: .seconds(3600)),
        defaultSources: ["gnews"])

    @Test func quotaErrorFallsBackToFeedsUntilTheResetTime() async throws {
        let gnewsServer = try LocalHTTPServer { _ in .init(status: 403, body: SampleFeeds.quotaError) }
        defer { gnewsServer.stop() }
        let feedServer = try LocalHTTPServer { _ in .init(status: 200, headers: [("Content-Type", "application/rss+xml")], body: SampleFeeds.rss) }
        defer { feedServer.stop() }
        let clock = TestClock(start)
        let cache = MemoryNewsCache(clock: clock)
        let gnews = GNewsSource(configuration: .init(baseURL: gnewsServer.baseURL, apiKey: Secret("test-key-123"), dailyQuota: 100),
                                clock: clock, usageStore: cache)
        let feed = FeedNewsSource(name: "planet", configuration: .init(url: URL(string: feedServer.baseURL + "/rss")!, reuseFor: .zero),
                                  clock: clock)
        let fetcher = NewsFetcher(sources: ["gnews": gnews, "planet": feed], cache: cache, clock: clock)

        let first = try await fetcher.news(for: python, language: .en, pipeline: pipeline)
        #expect(first.items.map(\.url) == ["https://planetpython.org/typing"])
        #expect(first.failures == ["gnews: daily quota exhausted", "gnews: quota exhausted, used feeds planet"])
        #expect(gnewsServer.requests.count == 1)

        // Later the same day, in new cache periods and for another topic: feeds only.
        for hours in [2, 3, 8] {  // 12:00, 15:00, 23:00 UTC
            clock.advance(by: .seconds(hours * 3600))
            _ = try await fetcher.news(for: python, language: .en, pipeline: pipeline)
            _ = try await fetcher.news(for: Topic("typing")!, language: .en, pipeline: pipeline)
        }
        #expect(gnewsServer.requests.count == 1, "GNews was asked again before 00:00 UTC")
        #expect(feedServer.requests.count == 7)
        #expect(fetcher.statistics.quotaFallbacks == 7)
        #expect(gnews.usage.exhaustedUntil == GNewsErrors.nextResetTime(after: start))

        // After 00:00 UTC GNews is asked again.
        clock.advance(by: .seconds(GNewsErrors.nextResetTime(after: start).timeIntervalSince(clock.now()) + 60))
        _ = try await fetcher.news(for: python, language: .en, pipeline: pipeline)
        #expect(gnewsServer.requests.count == 2)

        // `sources status` sees the outcomes and the usage through the cache.
        let report = try await SourceStatusReport.collect(pipeline: pipeline, cache: cache, gnewsQuota: 100, now: clock.now())
        let rows = report.rows.filter { $0.topic == "python" }
        #expect(rows.map(\.source) == ["gnews", "planet"])
        #expect(rows.first?.outcome?.error == "daily quota exhausted")
        #expect(rows.last?.outcome?.fallback == true)
        #expect(rows.last?.outcome?.items == 1)  // the item without a link is no article
        #expect(rows.allSatisfy { $0.cache == "cached (1 items)" })
        #expect(report.gnews.first?.usage?.requests == 1)
        #expect(report.lines.contains { $0.hasPrefix("gnews: 1 GNews requests today, 99 left of 100, quota spent until ") })
        #expect(report.lines.contains { $0.contains("typing") && $0.contains("planet") && $0.contains("(fallback)") })
    }
}
