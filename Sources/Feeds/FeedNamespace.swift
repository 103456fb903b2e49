/// Namespace URIs elements are matched against. Local names alone are ambiguous: `title`
/// exists in RSS, Atom, Dublin Core and XHTML, and an RSS item may carry all of them.
enum FeedNamespace {
    static let atom = "http://www.w3.org/2005/Atom"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss1 = "http://purl.org/rss/1.0/"
    /// RSS 0.90, RDF-based like RSS 1.0.
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    /// A default namespace a few RSS 2.0 feeds declare.
    static let rss2Userland = "http://backend.userland.com/rss2"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
}
