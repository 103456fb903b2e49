import Foundation

/// The fields of one item as the streaming parser meets them, in any order, turned into a
/// `FeedItem` once the item's end tag is reached. Precedence between alternatives (which
/// date, which link) is decided here, in one place.
struct FeedItemBuilder {
    var title: String?
    /// RSS / RDF `link` text, resolved.
    var link: URL?
    /// The first Atom alternate link, resolved.
    var alternateLink: URL?
    var guid: String?
    var guidIsPermaLink = false
    /// The guid resolved as a URL, when it is a permalink.
    var guidLink: URL?
    /// RDF `rdf:about`, resolved: the item's URI in RSS 1.0.
    var aboutLink: URL?
    var published: String?
    var dcDate: String?
    var updated: String?
    var summary: String?
    var content: String?
    var sourceName: String?
    var sourceURL: URL?

    /// The item, or nil (with a warning) when it has nothing to show; `position` is the
    /// item's 1-based position in the feed, for warnings.
    func build(position: Int, warnings: inout [String]) -> FeedItem? {
        let title = title ?? ""
        let summary = summary ?? content ?? ""
        let link = link ?? alternateLink ?? guidLink ?? aboutLink
        guard !title.isEmpty || !summary.isEmpty || link != nil else {
            warnings.append("item \(position): skipped, no title, summary or link")
            return nil
        }
        let published = date(published, position: position, warnings: &warnings)
            ?? date(dcDate, position: position, warnings: &warnings)
        let updated = date(updated, position: position, warnings: &warnings)
        return FeedItem(
            title: title,
            link: link,
            guid: guid,
            guidIsPermaLink: guidIsPermaLink,
            published: published ?? updated,
            updated: updated,
            summary: summary,
            sourceName: sourceName,
            sourceURL: sourceURL
        )
    }

    private func date(_ text: String?, position: Int, warnings: inout [String]) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = FeedDate.parse(text) else {
            warnings.append("item \(position): unrecognised date")
            return nil
        }
        return date
    }
}
