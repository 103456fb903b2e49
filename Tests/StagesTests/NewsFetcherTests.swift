import Foundation
import Testing
import Core
@testable import Stages

@Suite struct NewsFetcherTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    let python = Topic("python")!

    func article(_ title: String, _ url: String, publisher: String = "Pub", origin: String, summary: String = "") -> Article {
        Article(title: title, url: url, summary: summary, publishedAt: start.addingTimeInterval(-3600),
                sourceName: publisher, origin: origin)
    }

    func pipeline(sources: [SourceDefinition] = [SourceDefinition(name: "gnews", kind: .gnews)],
                  topics: [String: TopicDefinition] = [:]) -> PipelineDefinition {
        PipelineDefinition(name: "daily", sources: sources, topics: topics, cache: CachePolicy(ttl: .seconds(3600), lockTTL: .seconds(30)))
    }

    @Test func hundredCallersOnTwoFetchersCostOneSourceCall() async throws {
        let clock = TestClock(start)
        let cache = MemoryNewsCache(clock: clock)
        let source = CountingSource(name: "gnews", delay: .milliseconds(200)) { query in
            [Article(title: "Python news for \(query.language)", url: "https://example.com/py", sourceName: "Ex", origin: "gnews")]
        }
        let fetchers = (0..<2).map { _ in NewsFetcher(sources: ["gnews": source], cache: cache, clock: clock) }
        let definition = pipeline()
        let results = try await withThrowingTaskGroup(of: TopicNews.self) { group in
            for i in 0..<100 {
                group.addTask { try await fetchers[i % 2].news(for: python, language: .en, pipeline: definition) }
            }
            return try await group.reduce(into: [TopicNews]()) { $0.append($1) }
        }
        #expect(source.calls == 1)
        #expect(results.count == 100)
        #expect(Set(results).count == 1)
        #expect(results[0].items.map(\.title) == ["Python news for en"])
        let stats = fetchers.map(\.statistics)
        #expect(stats.map(\.sourceCalls).reduce(0, +) == 1)
        #expect(stats.map(\.coalesced).reduce(0, +) == 98)

        // Same period: answered from the cache.
        let again = try await fetchers[0].news(for: python, language: .en, pipeline: definition)
        #expect(again == results[0])
        #expect(source.calls == 1)
        #expect(fetchers.map(\.statistics.cacheHits).reduce(0, +) == 2)

        // Another language is another query.
        _ = try await fetchers[1].news(for: python, language: .ru, pipeline: definition)
        #expect(source.calls == 2)

        // Next cache period: fetched again.
        clock.advance(by: .seconds(3600))
        _ = try await fetchers[1].news(for: python, language: .en, pipeline: definition)
        #expect(source.calls == 3)
    }

    @Test func waitsForAnotherProcessHoldingTheLock() async throws {
        let clock = TestClock(start)
        let cache = MemoryNewsCache(clock: clock)
        let definition = pipeline()
        let key = NewsCacheKey(pipeline: "daily", language: .en, topic: python, now: start, ttl: .seconds(3600))
        #expect(try await cache.lock(key.lockKey, owner: "other-process", ttl: .seconds(30)))
        let source = CountingSource(name: "gnews") { _ in [] }
        let fetcher = NewsFetcher(sources: ["gnews": source], cache: cache, clock: clock)
        let waiting = Task { try await fetcher.news(for: python, language: .en, pipeline: definition) }
        try await Task.sleep(for: .milliseconds(100))
        let stored = TopicNews(topic: python, language: .en, items: [DigestItem(title: "From the other process", url: "https://x.com", summary: "", publishedAt: nil, sourceName: "X")], fetchedAt: start)
        try await cache.store(try TopicNewsCoding.encode(stored), forKey: key.description, ttl: .seconds(3600))
        let news = try await waiting.value
        #expect(news == stored)
        #expect(source.calls == 0)
    }

    @Test func takesOverWhenTheLockExpires() async throws {
        let clock = TestClock(start)
        let cache = MemoryNewsCache(clock: clock)
        let definition = pipeline()
        let key = NewsCacheKey(pipeline: "daily", language: .en, topic: python, now: start, ttl: .seconds(3600))
        #expect(try await cache.lock(key.lockKey, owner: "dead-process", ttl: .seconds(30)))
        let source = CountingSource(name: "gnews") { _ in [] }
        let fetcher = NewsFetcher(sources: ["gnews": source], cache: cache, clock: clock)
        let waiting = Task { try await fetcher.news(for: python, language: .en, pipeline: definition) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(source.calls == 0)
        clock.advance(by: .seconds(31))
        _ = try await waiting.value
        #expect(source.calls == 1)
    }

    @Test func aFailingSourceDoesNotHideTheOthers() async throws {
        let gnews = CountingSource(name: "gnews") { _ in throw NewsSourceError.network("GET https://gnews.io/api/v4/search?q=x&apikey=SECRET123 failed") }
        let blog = CountingSource(name: "blog") { _ in [self.article("Python packaging news", "https://blog.example/p", origin: "blog")] }
        let definition = pipeline(sources: [SourceDefinition(name: "gnews", kind: .gnews), SourceDefinition(name: "blog", kind: .feed)])
        let fetcher = NewsFetcher(sources: ["gnews": gnews, "blog": blog], cache: MemoryNewsCache(clock: TestClock(start)), clock: TestClock(start))
        let news = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(news.items.map(\.url) == ["https://blog.example/p"])
        #expect(news.failures.count == 1)
        #expect(news.failures[0].hasPrefix("gnews: network error"))
        #expect(!news.failures[0].contains("SECRET123"))
        #expect(fetcher.statistics.sourceFailures == 1)
        #expect(fetcher.statistics.sourceCalls == 2)
    }

    @Test func unknownSourceIsReportedNotCalled() async throws {
        let definition = pipeline(sources: [SourceDefinition(name: "missing", kind: .feed)])
        let fetcher = NewsFetcher(sources: [:], cache: MemoryNewsCache(), clock: TestClock(start))
        let news = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(news.items.isEmpty)
        #expect(news.failures == ["missing: not configured for this topic"])
        #expect(fetcher.statistics.sourceCalls == 0)
    }

    @Test(arguments: [NewsSourceError.quotaExhausted(resetAt: nil), .rateLimited(retryAfter: .seconds(5))])
    func gnewsQuotaFallsBackToFeeds(_ error: NewsSourceError) async throws {
        let gnews = CountingSource(name: "gnews") { _ in throw error }
        let feed = CountingSource(name: "planet") { _ in [
            self.article("Python 3.14 released", "https://planet.example/1", origin: "planet"),
            self.article("Rust news only", "https://planet.example/2", origin: "planet"),
            self.article("Weekly digest", "https://planet.example/3", origin: "planet", summary: "all about PYTHON typing"),
        ] }
        let definition = pipeline(
            sources: [SourceDefinition(name: "gnews", kind: .gnews), SourceDefinition(name: "planet", kind: .feed)],
            topics: ["python": TopicDefinition(sources: ["gnews"])])
        let fetcher = NewsFetcher(sources: ["gnews": gnews, "planet": feed], cache: MemoryNewsCache(), clock: TestClock(start))
        let news = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(gnews.calls == 1)
        #expect(feed.calls == 1)
        #expect(Set(news.items.map(\.url)) == ["https://planet.example/1", "https://planet.example/3"])
        #expect(news.failures.first == "gnews: \(error)")
        #expect(news.failures.last == "gnews: quota exhausted, used feeds planet")
        #expect(fetcher.statistics.quotaFallbacks == 1)
    }

    @Test func otherGNewsErrorsDoNotTriggerTheFallback() async throws {
        let gnews = CountingSource(name: "gnews") { _ in throw NewsSourceError.server(status: 503) }
        let feed = CountingSource(name: "planet") { _ in [] }
        let definition = pipeline(
            sources: [SourceDefinition(name: "gnews", kind: .gnews), SourceDefinition(name: "planet", kind: .feed)],
            topics: ["python": TopicDefinition(sources: ["gnews"])])
        let fetcher = NewsFetcher(sources: ["gnews": gnews, "planet": feed], cache: MemoryNewsCache(), clock: TestClock(start))
        let news = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(feed.calls == 0)
        #expect(news.failures == ["gnews: server error 503"])
    }

    @Test func appliesIncludeAndExcludeKeywords() async throws {
        let gnews = CountingSource(name: "gnews") { _ in [
            self.article("Django 6 released", "https://a.example/1", origin: "gnews"),
            self.article("Django security rumor", "https://a.example/2", origin: "gnews"),
            self.article("Flask update", "https://a.example/3", origin: "gnews"),
        ] }
        let definition = pipeline(topics: ["python": TopicDefinition(include: ["django"], exclude: ["RUMOR"])])
        let fetcher = NewsFetcher(sources: ["gnews": gnews], cache: MemoryNewsCache(), clock: TestClock(start))
        let news = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(news.items.map(\.url) == ["https://a.example/1"])
    }

    @Test func passesTheTopicQueryAndSkipsSourcesOfOtherLanguages() async throws {
        let gnews = CountingSource(name: "gnews") { _ in [] }
        let russian = CountingSource(name: "lenta") { _ in [] }
        let definition = pipeline(
            sources: [SourceDefinition(name: "gnews", kind: .gnews), SourceDefinition(name: "lenta", kind: .feed, languages: [.ru])],
            topics: ["python": TopicDefinition(query: "python AND (django OR flask)")])
        let fetcher = NewsFetcher(sources: ["gnews": gnews, "lenta": russian], cache: MemoryNewsCache(), clock: TestClock(start))
        _ = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(gnews.queries.map(\.searchText) == ["python AND (django OR flask)"])
        #expect(gnews.queries.first?.from == start.addingTimeInterval(-72 * 3600))
        #expect(russian.calls == 0)
    }

    @Test func onlyFailuresAreCachedBriefly() async throws {
        let clock = TestClock(start)
        let cache = MemoryNewsCache(clock: clock)
        let gnews = CountingSource(name: "gnews") { _ in throw NewsSourceError.timeout }
        let fetcher = NewsFetcher(sources: ["gnews": gnews], cache: cache, clock: clock,
                                  configuration: .init(failureTTL: .seconds(60)))
        let definition = pipeline()
        _ = try await fetcher.news(for: python, language: .en, pipeline: definition)
        _ = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(gnews.calls == 1)
        clock.advance(by: .seconds(61))
        _ = try await fetcher.news(for: python, language: .en, pipeline: definition)
        #expect(gnews.calls == 2)
    }
}
