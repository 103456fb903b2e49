public import Foundation

/// One article of a feed, already reduced to what the pipeline needs: plain-text title and
/// summary (no markup, entities decoded, whitespace collapsed) and an absolute http(s) link.
public struct FeedItem: Sendable, Hashable {
    /// Plain text; empty when the feed gave none.
    public var title: String
    /// Absolute http(s) URL of the article, resolved against `xml:base` and the feed's URL;
    /// nil when the item had no usable link.
    public var link: URL?
    /// The item's identifier as the feed wrote it (RSS `guid`, Atom `id`, RDF `rdf:about`,
    /// GNews `url`).
    public var guid: String?
    /// Whether `guid` is itself the article's URL (RSS `isPermaLink`, default true).
    public var guidIsPermaLink: Bool
    /// Publication time: `pubDate`, `published` or `dc:date`, falling back to `updated`.
    public var published: Date?
    /// Last modification time when the feed says so separately (Atom `updated`).
    public var updated: Date?
    /// Plain text of the description / summary / content; empty when absent.
    public var summary: String
    /// The originating publication, when the feed names one (RSS `source`, Atom
    /// `source/title`, GNews `source.name`).
    public var sourceName: String?
    /// Homepage of that publication when given (RSS `source@url`, GNews `source.url`).
    public var sourceURL: URL?
    /// A picture for the article (GNews `image`).
    public var imageURL: URL?

    public init(
        title: String,
        link: URL? = nil,
        guid: String? = nil,
        guidIsPermaLink: Bool = false,
        published: Date? = nil,
        updated: Date? = nil,
        summary: String = "",
        sourceName: String? = nil,
        sourceURL: URL? = nil,
        imageURL: URL? = nil
    ) {
        self.title = title
        self.link = link
        self.guid = guid
        self.guidIsPermaLink = guidIsPermaLink
        self.published = published
        self.updated = updated
        self.summary = summary
        self.sourceName = sourceName
        self.sourceURL = sourceURL
        self.imageURL = imageURL
    }
}
