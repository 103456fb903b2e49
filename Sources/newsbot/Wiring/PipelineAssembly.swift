import Core
import Delivery
import Foundation
import Logging
import Pipeline
import Stages
import Telegram

/// Builds the pipeline of one process from its runtime: the fetcher in front of the news
/// sources, the stage workers and the delivery worker.
struct PipelineAssembly: Sendable {
    let environment: PipelineEnvironment
    let workers: PipelineWorkers
    let delivery: DeliveryWorker
    let fetcher: NewsFetcher

    /// - Parameters:
    ///   - sources: the news sources by name; nil builds the live ones (GNews when a key is set, feeds by URL).
    ///   - fetchClock: the clock of fetching and ranking (a replayed batch's `now`); delivery keeps real time.
    init(runtime: Runtime, configuration: AppConfiguration, pipelines: [PipelineDefinition],
         sources: [String: any NewsSource]? = nil, telegram: any TelegramAPI,
         stages: Set<PipelineStage> = Set(PipelineStage.allCases), concurrency: Int = 2,
         fetchClock: any NewsbotClock = SystemClock(), logger: Logger) throws {
        let registry = sources ?? Self.liveSources(pipelines: pipelines, configuration: configuration, usageStore: runtime.newsCache)
        let fetcher = NewsFetcher(sources: registry, cache: runtime.newsCache, clock: fetchClock, logger: logger)
        let environment = PipelineEnvironment(store: runtime.store, queue: runtime.queue, fetcher: fetcher,
                                              pipelines: pipelines, clock: fetchClock, logger: logger)
        let policy = pipelines.first?.delivery ?? DeliveryPolicy()
        // Scaled out, several workers may get copies of one job: they claim a message through
        // the shared cache (Redis) before sending it. The bot-wide limit holds across them
        // through the shared arrival window (see `ArrivalWindow`), whatever their jitter.
        let shared = configuration.redisURL != nil
        let delivery = DeliveryWorker(configuration: .init(policy: policy),
                                      queue: runtime.queue, store: runtime.store,
                                      limiter: runtime.limiter, telegram: telegram,
                                      claims: shared ? runtime.newsCache : nil, logger: logger)
        self.environment = environment
        self.fetcher = fetcher
        self.delivery = delivery
        self.workers = try PipelineWorkers(configuration: .init(stages: stages, concurrency: concurrency),
                                           environment: environment, delivery: delivery)
    }

    /// GNews (when `GNEWS_API_KEY` is set) and every feed with a URL, over all pipelines. GNews
    /// counts its `GNEWS_DAILY_QUOTA` in `usageStore` (the news cache), shared by all processes.
    static func liveSources(pipelines: [PipelineDefinition], configuration: AppConfiguration,
                            usageStore: any NewsCache) -> [String: any NewsSource] {
        let gnews = configuration.gnewsAPIKey.map {
            GNewsSource.Configuration(baseURL: configuration.gnewsAPIURL, apiKey: $0, dailyQuota: configuration.gnewsDailyQuota)
        }
        var registry: [String: any NewsSource] = [:]
        for pipeline in pipelines {
            registry.merge(NewsSourceRegistry.live(for: pipeline, gnews: gnews, usageStore: usageStore)) { first, _ in first }
        }
        return registry
    }

    /// The Telegram client from `TELEGRAM_API_URL` and `TELEGRAM_BOT_TOKEN`.
    static func telegramClient(_ configuration: AppConfiguration, logger: Logger) throws -> TelegramClient {
        let token = try configuration.requireTelegramToken()
        return TelegramClient(configuration: .init(baseURL: configuration.telegramAPIURL, token: BotToken(token.value)),
                              logger: logger)
    }

    /// Loads pipeline definitions by name or path (`daily` → `pipelines/daily.yml`).
    static func loadPipelines(_ namesOrPaths: [String]) throws -> [PipelineDefinition] {
        let loader = PipelineLoader()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return try namesOrPaths.map { try loader.load($0, searchingFrom: [cwd]) }
    }
}
