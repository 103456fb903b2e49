public import Foundation
public import Core

/// An article prepared for ranking: its normalised URL, headline words and score, computed once.
public struct ScoredArticle: Sendable, Hashable {
    public var article: Article
    public var normalizedURL: String
    public var score: Double
    let tokens: TitleTokens

    init(article: Article, normalizedURL: String, score: Double) {
        self.article = article
        self.normalizedURL = normalizedURL
        self.score = score
        self.tokens = TitleTokens(article.title)
    }

    /// The ranking order: higher score first, then newer, then by URL, title and origin, so that
    /// equal scores never depend on the order sources answered in (replays are byte-identical).
    static func precedes(_ a: ScoredArticle, _ b: ScoredArticle) -> Bool {
        if a.score != b.score { return a.score > b.score }
        let ta = a.article.publishedAt ?? .distantPast, tb = b.article.publishedAt ?? .distantPast
        if ta != tb { return ta > tb }
        if a.normalizedURL != b.normalizedURL { return a.normalizedURL < b.normalizedURL }
        if a.article.title != b.article.title { return a.article.title < b.article.title }
        if a.article.origin != b.article.origin { return a.article.origin < b.article.origin }
        return a.article.sourceName < b.article.sourceName
    }
}
