/// What the fetch stage did, for the replay summary and `pipeline status`: counted per fetcher
/// instance (the swift-metrics counters `newsbot.fetch.*` count process-wide).
public struct FetchStatistics: Sendable, Hashable, Codable {
    /// Calls to a news source's `fetch` (one per topic, language and source that was not cached).
    public var sourceCalls: Int
    /// Calls to `news(for:…)` answered from the shared cache.
    public var cacheHits: Int
    /// Calls that waited for the same fetch already running in this process.
    public var coalesced: Int
    /// Source calls that failed (each is also in its `TopicNews.failures`).
    public var sourceFailures: Int
    /// Times a GNews quota or rate-limit error made the fetch fall back to feeds.
    public var quotaFallbacks: Int
    /// Source calls per source name.
    public var callsBySource: [String: Int]

    public init(sourceCalls: Int = 0, cacheHits: Int = 0, coalesced: Int = 0, sourceFailures: Int = 0,
                quotaFallbacks: Int = 0, callsBySource: [String: Int] = [:]) {
        self.sourceCalls = sourceCalls
        self.cacheHits = cacheHits
        self.coalesced = coalesced
        self.sourceFailures = sourceFailures
        self.quotaFallbacks = quotaFallbacks
        self.callsBySource = callsBySource
    }
}
