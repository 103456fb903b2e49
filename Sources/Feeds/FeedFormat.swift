/// The kind of document a feed turned out to be, decided by its root element (XML) or its
/// shape (JSON), never by the URL or a Content-Type header, which are often wrong.
public enum FeedFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// RSS 2.0 and its 0.9x predecessors rooted at `<rss>`.
    case rss2
    /// RSS 1.0 (and 0.90), rooted at `<rdf:RDF>`.
    case rss1
    /// Atom 1.0, rooted at `<feed xmlns="http://www.w3.org/2005/Atom">`.
    case atom
    /// A GNews v4 `/search` JSON response.
    case gnews
}
