import Foundation
public import Core
public import Feeds

extension Article {
    /// The article of a parsed feed or GNews item; nil when it has no title or no usable link
    /// (a digest can show neither).
    ///
    /// The publisher is the item's own source (GNews `source.name`, RSS `source`), else the
    /// feed's title, else the configured source name.
    public init?(_ item: FeedItem, feedTitle: String?, origin: String) {
        guard !item.title.isEmpty, let link = item.link else { return nil }
        let publisher = [item.sourceName, feedTitle, origin]
            .compactMap { $0?.trimmingWhitespace() }
            .first { !$0.isEmpty } ?? origin
        self.init(title: item.title, url: link.absoluteString, summary: item.summary,
                  publishedAt: item.published ?? item.updated, sourceName: publisher,
                  sourceURL: item.sourceURL?.absoluteString, origin: origin)
    }

    /// Every usable article of `feed`, in feed order.
    public static func articles(of feed: ParsedFeed, origin: String) -> [Article] {
        feed.items.compactMap { Article($0, feedTitle: feed.title, origin: origin) }
    }
}
