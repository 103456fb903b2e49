public import Foundation
public import Core

/// Turns one topic's articles from every source into its top stories.
///
/// score = source weight × publisher weight × 0.5^(age / half-life). Articles older than
/// `maxAgeHours`, without a title or without an http(s) link are dropped; an article without a
/// date counts as one half-life old. The same story from several sources becomes one item; at
/// most `maxPerSource` items per publisher, then the top `topK`. Every tie is broken on stable
/// fields, so the same input gives the same output whatever order the sources answered in.
public struct Ranker: Sendable {
    public var policy: RankPolicy
    /// Weight per configured source name (`Article.origin`); absent means 1.
    public var sourceWeights: [String: Double]

    public init(policy: RankPolicy = .init(), sourceWeights: [String: Double] = [:]) {
        self.policy = policy
        self.sourceWeights = sourceWeights
    }

    /// The pipeline's rank policy and its sources' weights.
    public init(pipeline: PipelineDefinition) {
        var weights: [String: Double] = [:]
        for source in pipeline.sources { weights[source.name] = source.weight }
        self.init(policy: pipeline.rank, sourceWeights: weights)
    }

    public func rank(_ articles: [Article], now: Date) -> [DigestItem] {
        let scored = score(articles, now: now).sorted(by: ScoredArticle.precedes)
        let clusters = StoryClusterer(threshold: policy.clusterThreshold).cluster(scored)
        var perPublisher: [String: Int] = [:]
        var items: [DigestItem] = []
        for cluster in clusters {
            guard items.count < policy.topK else { break }
            let publisher = cluster.representative.article.sourceName.lowercased()
            let used = perPublisher[publisher, default: 0]
            guard used < policy.maxPerSource else { continue }
            perPublisher[publisher] = used + 1
            items.append(cluster.digestItem)
        }
        return items
    }

    /// Filters out what can never be shown and scores the rest.
    func score(_ articles: [Article], now: Date) -> [ScoredArticle] {
        let publisherWeights = Dictionary(policy.publisherWeights.map { ($0.key.lowercased(), $0.value) },
                                          uniquingKeysWith: { first, _ in first })
        let halfLife = max(policy.halfLifeHours, 0.001)
        var result: [ScoredArticle] = []
        result.reserveCapacity(articles.count)
        for article in articles {
            guard !article.title.trimmingWhitespace().isEmpty else { continue }
            let url = URLNormalizer.normalize(article.url)
            guard URLNormalizer.isWebURL(url) else { continue }
            let ageHours: Double
            if let published = article.publishedAt {
                ageHours = max(0, now.timeIntervalSince(published) / 3600)
                guard ageHours <= policy.maxAgeHours else { continue }
            } else {
                ageHours = halfLife
            }
            let weight = (sourceWeights[article.origin] ?? 1)
                * (policy.publisherWeights[article.sourceName] ?? publisherWeights[article.sourceName.lowercased()] ?? 1)
            let score = weight * pow(0.5, ageHours / halfLife)
            result.append(ScoredArticle(article: article, normalizedURL: url, score: score))
        }
        return result
    }
}
