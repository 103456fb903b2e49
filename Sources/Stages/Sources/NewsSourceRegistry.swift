public import Foundation
public import Core
public import AsyncHTTPClient

/// Builds the `[name: NewsSource]` registry `NewsFetcher` takes for live runs: GNews for sources
/// of kind `gnews` (when a key is configured) and an HTTP feed for each feed source with a URL.
/// Replays use `FixtureNewsSource.registry(for:batchDirectory:)` instead.
public enum NewsSourceRegistry {
    /// - Parameter gnews: GNews settings (key, base URL, quota); nil leaves GNews sources out,
    ///   and the fetch stage reports them as not configured.
    /// - Parameter usageStore: where GNews keeps its daily usage, shared between processes.
    public static func live(for pipeline: PipelineDefinition, gnews: GNewsSource.Configuration?,
                            httpClient: HTTPClient = .shared, clock: any NewsbotClock = SystemClock(),
                            usageStore: (any NewsCache)? = nil) -> [String: any NewsSource] {
        var registry: [String: any NewsSource] = [:]
        for source in pipeline.sources {
            switch source.kind {
            case .gnews:
                guard var configuration = gnews else { continue }
                configuration.name = source.name
                registry[source.name] = GNewsSource(configuration: configuration, httpClient: httpClient, clock: clock,
                                                       usageStore: usageStore)
            case .feed:
                guard let text = source.url, let url = URL(string: text) else { continue }
                registry[source.name] = FeedNewsSource(name: source.name, configuration: .init(url: url), httpClient: httpClient, clock: clock)
            }
        }
        return registry
    }
}
