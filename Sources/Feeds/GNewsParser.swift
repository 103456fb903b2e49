import Foundation

/// Maps a GNews v4 `/search` response body onto `ParsedFeed`, and a GNews error body
/// (`{"errors": ["…"]}` or `{"errors": {"field": "…"}}`) onto `FeedError.Kind.gnewsError`.
///
/// `JSONSerialization` rather than `Codable`: the two error shapes and GNews' habit of
/// sending `null` for missing strings make a tolerant walk simpler than a strict model.
enum GNewsParser {
    static func parse(_ bytes: ArraySlice<UInt8>) throws(FeedError) -> ParsedFeed {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw FeedError(.invalidJSON, detail: "malformed JSON")
        }
        guard let object = json as? [String: Any] else {
            throw FeedError(.invalidJSON, detail: "top level is not an object")
        }
        if let errors = object["errors"] {
            throw FeedError(.gnewsError, detail: messages(errors))
        }
        guard let articles = object["articles"] as? [Any] else {
            throw FeedError(.invalidJSON, detail: "no \"articles\" array")
        }
        var feed = ParsedFeed(format: .gnews, totalCount: object["totalArticles"] as? Int)
        for (index, element) in articles.enumerated() {
            guard let article = element as? [String: Any] else {
                feed.warnings.append("article \(index + 1): skipped, not an object")
                continue
            }
            if let item = item(article, position: index + 1, warnings: &feed.warnings) {
                feed.items.append(item)
            }
        }
        return feed
    }

    private static func item(_ article: [String: Any], position: Int, warnings: inout [String]) -> FeedItem? {
        let title = HTMLText.plainText(fromTextOrHTML: article["title"] as? String ?? "")
        let summary = HTMLText.plainText(fromTextOrHTML: article["description"] as? String ?? "")
        let rawURL = article["url"] as? String
        let link = rawURL.flatMap { LinkResolver.resolve($0, base: nil) }
        if rawURL != nil, link == nil { warnings.append("article \(position): link dropped, not an absolute http(s) URL") }
        guard !title.isEmpty || link != nil else {
            warnings.append("article \(position): skipped, no title or link")
            return nil
        }
        var published: Date?
        if let text = article["publishedAt"] as? String {
            published = FeedDate.parse(text)
            if published == nil { warnings.append("article \(position): unrecognised date") }
        }
        let source = article["source"] as? [String: Any]
        return FeedItem(
            title: title,
            link: link,
            guid: rawURL,
            guidIsPermaLink: link != nil,
            published: published,
            summary: summary,
            sourceName: (source?["name"] as? String).map(HTMLText.collapsingWhitespace),
            sourceURL: (source?["url"] as? String).flatMap { LinkResolver.resolve($0, base: nil) },
            imageURL: (article["image"] as? String).flatMap { LinkResolver.resolve($0, base: nil) }
        )
    }

    /// GNews' messages in order: a list of strings, or `field: message` pairs sorted by field.
    private static func messages(_ errors: Any) -> String {
        let texts: [String]
        if let list = errors as? [Any] {
            texts = list.map { ($0 as? String) ?? String(describing: $0) }
        } else if let fields = errors as? [String: Any] {
            texts = fields.keys.sorted().map { "\($0): \(fields[$0].map { ($0 as? String) ?? String(describing: $0) } ?? "")" }
        } else {
            texts = [(errors as? String) ?? String(describing: errors)]
        }
        let joined = texts.joined(separator: "; ")
        return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
    }
}
