/// Somewhere news comes from: GNews, an RSS/Atom feed, or fixtures.
public protocol NewsSource: Sendable {
    /// The name pipelines and ranking weights use (`gnews`, a feed's name).
    var name: String { get }
    /// Articles for the query. Throws `NewsSourceError` for failures the fetch stage reports.
    func fetch(_ query: NewsQuery) async throws -> [Article]
}
