public import Core

/// A topic's include / exclude keywords, matched case-insensitively as substrings of an
/// article's title or summary.
///
/// Keywords come from pipeline files, not users, but are still never compiled to a regex: all
/// keywords of a list go into one Aho–Corasick automaton over UTF-8 bytes, so checking an article
/// is linear in its length whatever the keywords are.
public struct KeywordFilter: Sendable {
    private let include: KeywordAutomaton?
    private let exclude: KeywordAutomaton?

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = KeywordAutomaton(include)
        self.exclude = KeywordAutomaton(exclude)
    }

    public init(_ topic: TopicDefinition?) {
        self.init(include: topic?.include ?? [], exclude: topic?.exclude ?? [])
    }

    /// Whether the filter keeps everything.
    public var isEmpty: Bool { include == nil && exclude == nil }

    /// Kept when no exclude keyword occurs and, if include keywords are set, one of them does.
    public func accepts(_ article: Article) -> Bool {
        guard !isEmpty else { return true }
        let title = article.title.lowercased(), summary = article.summary.lowercased()
        if let exclude, exclude.occurs(in: title) || exclude.occurs(in: summary) { return false }
        if let include { return include.occurs(in: title) || include.occurs(in: summary) }
        return true
    }

    public func filter(_ articles: [Article]) -> [Article] {
        isEmpty ? articles : articles.filter(accepts)
    }
}
