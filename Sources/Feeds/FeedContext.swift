/// The container element the streaming parser is inside; decides what a child element means.
enum FeedContext: Equatable {
    /// Directly inside the root (`rss`, `rdf:RDF`, Atom `feed`).
    case document
    /// Inside `channel` (RSS 2.0, RSS 1.0).
    case channel
    /// Inside an `item` / `entry`.
    case item
    /// Inside an Atom entry's `source` (its title names the originating feed).
    case itemSource
}
