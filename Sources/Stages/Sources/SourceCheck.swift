public import Foundation
public import Feeds

/// What `newsbot sources check` found for one input: the parsed feed, or why there is none.
///
/// `jsonLine` is the CLI contract (DESIGN.md): `{"file", "ok", "error", "items": [{"title",
/// "link", "published"}]}`, items in feed order, `published` ISO 8601 UTC or null.
public struct SourceCheck: Sendable, Hashable, Encodable {
    /// The input exactly as given on the command line.
    public var input: String
    public var feed: ParsedFeed?
    /// Why the input could not be read or parsed; safe to print (never document content or a key).
    public var error: String?

    public init(input: String, feed: ParsedFeed? = nil, error: String? = nil) {
        self.input = input
        self.feed = feed
        self.error = error
    }

    public var ok: Bool { error == nil && feed != nil }

    /// The contract's one-line JSON form.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, bools and nulls cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A short table for a person: format, encoding, items, newest item, warnings.
    public var summaryLines: [String] {
        guard let feed, error == nil else { return [input, "  error     \(error ?? "no result")"] }
        var encoding = feed.detectedEncoding
        if let declared = feed.declaredEncoding, declared.caseInsensitiveCompare(encoding) != .orderedSame {
            encoding += " (declared \(declared))"
        }
        if feed.hasByteOrderMark { encoding += ", byte-order mark" }
        let newest = feed.items.compactMap(\.published).max()
        let linkless = feed.items.count { $0.link == nil }
        var lines = [
            input,
            "  format    \(feed.format.rawValue)" + (feed.title.map { " — \($0)" } ?? ""),
            "  encoding  \(encoding)",
            "  items     \(feed.items.count)" + (linkless > 0 ? " (\(linkless) without a link)" : ""),
            "  newest    " + (newest.map(FeedDate.iso8601UTC) ?? "no dates"),
        ]
        lines += feed.warnings.map { "  warning   \($0)" }
        return lines
    }

    private enum Keys: String, CodingKey { case file, ok, error, items }
    private enum ItemKeys: String, CodingKey { case title, link, published }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(input, forKey: .file)
        try container.encode(ok, forKey: .ok)
        try container.encode(error, forKey: .error)
        var items = container.nestedUnkeyedContainer(forKey: .items)
        for item in error == nil ? feed?.items ?? [] : [] {
            var entry = items.nestedContainer(keyedBy: ItemKeys.self)
            try entry.encode(item.title, forKey: .title)
            try entry.encode(item.link?.absoluteString, forKey: .link)
            try entry.encode(item.published.map(FeedDate.iso8601UTC), forKey: .published)
        }
    }
}
