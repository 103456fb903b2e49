/// Groups articles that tell the same story: the same normalised URL, or headlines whose
/// distinctive words overlap by at least `threshold` (Jaccard similarity).
///
/// Greedy and order-preserving: articles arrive best first, each joins the first cluster holding
/// a member it matches, otherwise it starts a new one, so a cluster's first member is its best
/// article and clusters come out in the order of their best articles. An inverted index from
/// words to clusters means an article is compared only with clusters sharing a word with it.
public struct StoryClusterer: Sendable {
    public var threshold: Double

    public init(threshold: Double = 0.5) {
        self.threshold = threshold
    }

    public func cluster(_ articles: [ScoredArticle]) -> [StoryCluster] {
        var clusters: [StoryCluster] = []
        var byWord: [String: [Int]] = [:]
        var byURL: [String: Int] = [:]
        for article in articles {
            let target = byURL[article.normalizedURL] ?? match(article, clusters: clusters, byWord: byWord)
            let index: Int
            if let target {
                clusters[target].members.append(article)
                index = target
            } else {
                clusters.append(StoryCluster(article))
                index = clusters.count - 1
            }
            if byURL[article.normalizedURL] == nil { byURL[article.normalizedURL] = index }
            for word in article.tokens.words {
                if byWord[word]?.last != index { byWord[word, default: []].append(index) }
            }
        }
        return clusters
    }

    /// The earliest cluster with a member similar enough to `article`.
    private func match(_ article: ScoredArticle, clusters: [StoryCluster], byWord: [String: [Int]]) -> Int? {
        var candidates = Set<Int>()
        for word in article.tokens.words { candidates.formUnion(byWord[word] ?? []) }
        for index in candidates.sorted() {
            if clusters[index].members.contains(where: { $0.tokens.similarity(to: article.tokens) >= threshold }) {
                return index
            }
        }
        return nil
    }
}
