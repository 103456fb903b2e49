/// A recognised element and what to do with it: descend into a container, read a field, or
/// skip the element's whole subtree.
enum FeedField: Equatable {
    case descend(FeedContext)
    case skip

    case feedTitle(FeedTextType)
    /// RSS `channel/link` text.
    case feedLink
    /// Atom `feed/link` element.
    case feedAtomLink

    case title(FeedTextType)
    /// RSS / RDF `link` text.
    case link
    /// Atom `link` element (also `atom:link` inside RSS items).
    case atomLink
    /// RSS `guid` (with `isPermaLink`) or Atom `id`.
    case guid
    /// RSS `pubDate`, Atom `published`.
    case published
    /// Dublin Core `dc:date`.
    case dcDate
    /// Atom `updated`.
    case updated
    case summary(FeedTextType)
    /// Full content: `content:encoded`, Atom `content`; the summary when there is no other.
    case content(FeedTextType)
    /// RSS `source` (text is the name, `url` attribute the homepage).
    case rssSource
    /// Atom `entry/source/title`.
    case sourceTitle(FeedTextType)
    /// Atom `entry/source/link`.
    case sourceLink
}
