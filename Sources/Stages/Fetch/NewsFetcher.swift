public import Foundation
public import Core
public import Logging
import Metrics
import Synchronization

/// The fetch stage: one topic's ranked news in one language, fetched at most once per cache
/// period however many users, workers and slots ask.
///
/// Two layers of single flight: concurrent callers in this process share one task
/// (`SingleFlight`); across processes the shared `NewsCache` lock decides who calls the sources,
/// and everyone else polls the cache with backoff until the value appears or the lock expires
/// (the holder died), then tries to take it. The ranked result is cached as JSON under a key
/// naming the pipeline, language, topic and cache period.
///
/// Every configured source is called; one failing is reported in `TopicNews.failures`
/// (redacted) and the others still count. A GNews quota or rate-limit error makes the fetch use
/// feed sources instead (the pipeline's feeds when the topic has none of its own).
public final class NewsFetcher: Sendable {
    public struct Configuration: Sendable {
        /// Names this process as a lock owner; unique per fetcher by default.
        public var owner: String
        /// First wait between polls of the cache while another process fetches.
        public var initialPoll: Duration
        /// Longest wait between polls.
        public var maxPoll: Duration
        /// How long a result with only failures (and no articles) is cached, so a broken source
        /// is retried soon instead of after a whole period, but not by every caller at once.
        public var failureTTL: Duration
        /// Articles asked from each query-based source (GNews' free tier returns at most 10).
        public var maxArticlesPerSource: Int

        public init(owner: String = "newsbot-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)",
                    initialPoll: Duration = .milliseconds(20), maxPoll: Duration = .milliseconds(500),
                    failureTTL: Duration = .seconds(60), maxArticlesPerSource: Int = 10) {
            self.owner = owner
            self.initialPoll = initialPoll
            self.maxPoll = maxPoll
            self.failureTTL = failureTTL
            self.maxArticlesPerSource = maxArticlesPerSource
        }
    }

    private let sources: [String: any NewsSource]
    private let cache: any NewsCache
    private let clock: any NewsbotClock
    private let configuration: Configuration
    private let logger: Logger
    private let flights = SingleFlight<TopicNews>()
    private let counters = Mutex(FetchStatistics())
    private let statusLog: SourceStatusLog

    /// - Parameter sources: news sources by the names pipelines use (`gnews`, feed names).
    public init(sources: [String: any NewsSource], cache: any NewsCache, clock: any NewsbotClock = SystemClock(),
                configuration: Configuration = .init(), logger: Logger = Logger(label: "newsbot.fetch")) {
        self.sources = sources
        self.cache = cache
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.statusLog = SourceStatusLog(cache: cache, owner: configuration.owner)
    }

    /// What this fetcher has done so far.
    public var statistics: FetchStatistics { counters.withLock { $0 } }

    /// The ranked news of `topic` in `language` for this cache period.
    /// Throws only when the cache itself fails; source failures are reported in the result.
    public func news(for topic: Topic, language: Language, pipeline: PipelineDefinition) async throws -> TopicNews {
        let key = NewsCacheKey(pipeline: pipeline.name, language: language, topic: topic,
                               now: clock.now(), ttl: pipeline.cache.ttl)
        let (news, joined) = try await flights.run(key.description) { [self] in
            try await load(key, topic: topic, language: language, pipeline: pipeline)
        }
        if joined { counters.withLock { $0.coalesced += 1 } }
        return news
    }

    // MARK: cache and lock

    private func load(_ key: NewsCacheKey, topic: Topic, language: Language, pipeline: PipelineDefinition) async throws -> TopicNews {
        if let cached = try await cached(key) { return cached }
        var pause = configuration.initialPoll
        while true {
            try Task.checkCancellation()
            if try await cache.lock(key.lockKey, owner: configuration.owner, ttl: pipeline.cache.lockTTL) {
                do {
                    // Someone may have stored it between our miss and our lock.
                    let news: TopicNews
                    if let cached = try await cached(key) {
                        news = cached
                    } else {
                        news = await fetchAndRank(topic: topic, language: language, pipeline: pipeline)
                        let ttl = news.items.isEmpty && !news.failures.isEmpty
                            ? min(configuration.failureTTL, pipeline.cache.ttl) : pipeline.cache.ttl
                        try await cache.store(try TopicNewsCoding.encode(news), forKey: key.description, ttl: ttl)
                    }
                    try? await cache.unlock(key.lockKey, owner: configuration.owner)
                    return news
                } catch {
                    try? await cache.unlock(key.lockKey, owner: configuration.owner)
                    throw error
                }
            }
            // Another process is fetching: wait for its result or for its lock to expire.
            try await clock.sleep(for: pause)
            if let cached = try await cached(key) { return cached }
            pause = min(pause * 1.5, configuration.maxPoll)
        }
    }

    /// The cached value, or nil on a miss or an unreadable entry (then it is fetched again).
    private func cached(_ key: NewsCacheKey) async throws -> TopicNews? {
        guard let data = try await cache.value(forKey: key.description) else { return nil }
        guard let news = try? TopicNewsCoding.decode(data) else {
            logger.warning("unreadable news cache entry, fetching again", metadata: ["newsbot.cache.key": "\(key)"])
            return nil
        }
        counters.withLock { $0.cacheHits += 1 }
        Counter(label: "newsbot.fetch.cache_hits").increment()
        return news
    }

    // MARK: sources

    /// Calls the topic's sources, falls back to feeds on a GNews quota error, filters and ranks.
    func fetchAndRank(topic: Topic, language: Language, pipeline: PipelineDefinition) async -> TopicNews {
        let now = clock.now()
        let definition = pipeline.topics[topic.name]
        let query = NewsQuery(topic: topic, language: language,
                              from: now.addingTimeInterval(-pipeline.rank.maxAgeHours * 3600),
                              maxArticles: configuration.maxArticlesPerSource, searchText: definition?.query)
        let serves = { (source: SourceDefinition) in source.languages.isEmpty || source.languages.contains(language) }
        let chosen = pipeline.sources(for: topic).filter(serves)

        var results = await fetch(query, from: chosen)
        var called = results
        var failures = results.compactMap(\.failure)
        var articles = results.flatMap(\.articles)

        let quotaHit = results.contains { $0.definition.kind == .gnews && $0.isQuotaError }
        if quotaHit, !chosen.contains(where: { $0.kind == .feed }) {
            let feeds = pipeline.sources.filter { $0.kind == .feed && serves($0) }
            results = await fetch(query, from: feeds)
            called += results.map { var result = $0; result.fallback = true; return result }
            failures += results.compactMap(\.failure)
            // General feeds are not about this topic: keep only items that mention it, unless
            // the topic's own include keywords say what it is about.
            let fallback = results.flatMap(\.articles)
            if definition?.include.isEmpty ?? true {
                let mention = KeywordFilter(include: [topic.name])
                articles += mention.filter(fallback)
            } else {
                articles += fallback
            }
            failures.append(feeds.isEmpty ? "gnews: quota exhausted, no feeds to fall back to"
                                          : "gnews: quota exhausted, used feeds " + feeds.map(\.name).joined(separator: ", "))
        }
        if quotaHit {
            counters.withLock { $0.quotaFallbacks += 1 }
        }
        await note(called, topic: topic, language: language, pipeline: pipeline.name, at: now)
        let filtered = KeywordFilter(definition).filter(articles)
        let items = Ranker(pipeline: pipeline).rank(filtered, now: now)
        if !failures.isEmpty {
            logger.warning("news source failures", metadata: [
                "newsbot.topic": "\(topic)", "newsbot.language": "\(language.rawValue)",
                "newsbot.failures": "\(failures.joined(separator: "; "))",
            ])
        }
        return TopicNews(topic: topic, language: language, items: items, fetchedAt: now, failures: failures)
    }

    /// Records each source call for `newsbot sources status`; bookkeeping never fails a fetch.
    private func note(_ results: [SourceResult], topic: Topic, language: Language, pipeline: String, at now: Date) async {
        let outcomes = results.map {
            SourceOutcome(source: $0.definition.name, topic: topic.name, language: language, fetchedAt: now,
                          error: $0.error.map { Redaction.redact(String(describing: $0)) }, items: $0.articles.count, fallback: $0.fallback)
        }
        do {
            try await statusLog.record(outcomes, pipeline: pipeline)
        } catch {
            logger.debug("could not record source outcomes", metadata: ["newsbot.error": "\(Redaction.redact(String(describing: error)))"])
        }
    }

    /// Calls each source concurrently; results come back in the order of `definitions`.
    private func fetch(_ query: NewsQuery, from definitions: [SourceDefinition]) async -> [SourceResult] {
        await withTaskGroup(of: (Int, SourceResult).self) { group in
            for (index, definition) in definitions.enumerated() {
                group.addTask { [self] in (index, await call(definition, query)) }
            }
            var results = [SourceResult?](repeating: nil, count: definitions.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    private func call(_ definition: SourceDefinition, _ query: NewsQuery) async -> SourceResult {
        guard let source = sources[definition.name] else {
            return SourceResult(definition: definition, articles: [], error: NewsSourceError.notConfigured)
        }
        counters.withLock {
            $0.sourceCalls += 1
            $0.callsBySource[definition.name, default: 0] += 1
        }
        Counter(label: "newsbot.fetch.source_calls", dimensions: [("source", definition.name)]).increment()
        do {
            let articles = try await source.fetch(query)
            return SourceResult(definition: definition, articles: articles, error: nil)
        } catch {
            counters.withLock { $0.sourceFailures += 1 }
            Counter(label: "newsbot.fetch.failures", dimensions: [("source", definition.name)]).increment()
            return SourceResult(definition: definition, articles: [], error: error)
        }
    }
}
