public import Foundation

/// Everything one parse of one feed (or GNews response) produced: the items in feed order and
/// what an operator needs to judge the source (`newsbot sources check` prints these).
public struct ParsedFeed: Sendable, Hashable {
    public var format: FeedFormat
    /// The feed's own title (plain text), when it has one.
    public var title: String?
    /// The site the feed belongs to (RSS `channel/link`, Atom alternate link).
    public var link: URL?
    /// The encoding named in the XML declaration, exactly as written (nil when absent).
    public var declaredEncoding: String?
    /// The encoding the bytes were actually decoded with: a byte-order mark wins, then the
    /// declaration, then a charset hint, then XML's default UTF-8.
    public var detectedEncoding: String
    /// Whether the input started with a byte-order mark.
    public var hasByteOrderMark: Bool
    /// GNews' `totalArticles` (matches on the server, not the number returned).
    public var totalCount: Int?
    public var items: [FeedItem]
    /// Problems that did not stop the parse (an item limit hit, an unparsable date, a
    /// dropped non-http link, ignored DTD entities); terse, one line each.
    public var warnings: [String]

    public init(
        format: FeedFormat,
        title: String? = nil,
        link: URL? = nil,
        declaredEncoding: String? = nil,
        detectedEncoding: String = "UTF-8",
        hasByteOrderMark: Bool = false,
        totalCount: Int? = nil,
        items: [FeedItem] = [],
        warnings: [String] = []
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.declaredEncoding = declaredEncoding
        self.detectedEncoding = detectedEncoding
        self.hasByteOrderMark = hasByteOrderMark
        self.totalCount = totalCount
        self.items = items
        self.warnings = warnings
    }
}
