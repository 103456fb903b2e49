public import Core

/// Articles telling one story, best first: the first is the one a digest shows, the others become
/// "+N sources" and their URLs still count as "already received".
public struct StoryCluster: Sendable, Hashable {
    public internal(set) var members: [ScoredArticle]

    init(_ first: ScoredArticle) { members = [first] }

    public var representative: ScoredArticle { members[0] }

    /// The cluster as one digest item.
    public var digestItem: DigestItem {
        let best = representative.article
        var others: [String] = []
        var seenPublishers: Set<String> = [best.sourceName.lowercased()]
        var urls: [String] = []
        var seenURLs: Set<String> = []
        for member in members {
            if seenURLs.insert(member.normalizedURL).inserted { urls.append(member.normalizedURL) }
            let publisher = member.article.sourceName
            if !publisher.isEmpty, seenPublishers.insert(publisher.lowercased()).inserted { others.append(publisher) }
        }
        let summary = best.summary.isEmpty ? (members.first { !$0.article.summary.isEmpty }?.article.summary ?? "") : best.summary
        return DigestItem(title: best.title, url: representative.normalizedURL, summary: summary,
                          publishedAt: best.publishedAt, sourceName: best.sourceName,
                          otherSources: others, clusterURLs: urls, score: representative.score)
    }
}
