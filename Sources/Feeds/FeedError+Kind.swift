extension FeedError {
    /// The class of failure; raw values are stable identifiers used in fixture expectations
    /// and machine-readable output.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// No bytes, or only whitespace.
        case empty
        /// Neither XML nor JSON (plain text, binary, a gzip body that was not inflated).
        case notXML = "not_xml"
        /// An HTML page where a feed was expected (a homepage, a login or error page).
        case htmlPage = "html_page"
        /// XML that is not well-formed, including a document cut off mid-way.
        case malformed
        /// Well-formed XML whose root element is not `rss`, `rdf:RDF` or Atom's `feed`.
        case unknownRoot = "unknown_root"
        /// The declared encoding is one libxml2 cannot decode.
        case unsupportedEncoding = "unsupported_encoding"
        /// More bytes than the parser's size limit.
        case tooLarge = "too_large"
        /// Entity expansion refused (an entity loop or "billion laughs" bomb).
        case entityLimit = "entity_limit"
        /// Parsing took longer than the parser's time limit.
        case timeLimit = "time_limit"
        /// JSON that is malformed or not shaped like a GNews response.
        case invalidJSON = "invalid_json"
        /// A GNews error body (`{"errors": …}`).
        case gnewsError = "gnews_error"

        /// The fixed start of `FeedError.description`.
        var summary: String {
            switch self {
            case .empty: "empty input"
            case .notXML: "not XML, JSON or a feed"
            case .htmlPage: "an HTML page, not a feed"
            case .malformed: "malformed XML"
            case .unknownRoot: "not a feed: unknown root element"
            case .unsupportedEncoding: "unsupported encoding"
            case .tooLarge: "input too large"
            case .entityLimit: "entity expansion refused"
            case .timeLimit: "parse time limit exceeded"
            case .invalidJSON: "not a GNews response"
            case .gnewsError: "GNews error"
            }
        }
    }
}
