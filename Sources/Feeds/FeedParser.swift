public import Foundation

/// Parses one feed: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 or a GNews v4 `/search` response,
/// recognised from the bytes themselves.
///
/// The fetch stage and `newsbot sources check` both call this, so what an operator checks is
/// what the pipeline gets. Parsing is synchronous and CPU-bound; it holds no shared state, so
/// any number of feeds may be parsed concurrently.
///
/// Hostile input is expected: the size limit is checked before parsing, libxml2 never loads
/// a DTD, an external entity or anything from the network, entity expansion bombs are refused
/// (`FeedError.Kind.entityLimit`), and a time limit bounds one parse.
public struct FeedParser: Sendable {
    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// - Parameters:
    ///   - bytes: the body exactly as downloaded (already un-gzipped).
    ///   - url: where the feed came from; relative links are resolved against it (and
    ///     `xml:base`). Nil for a local file: relative links then resolve against the feed's
    ///     own site link, or are dropped with a warning.
    ///   - charset: the HTTP `Content-Type` charset, used only when the document has neither a
    ///     byte-order mark nor an encoding declaration.
    public func parse(_ bytes: [UInt8], url: URL? = nil, charset: String? = nil) throws(FeedError) -> ParsedFeed {
        guard bytes.count <= configuration.maxBytes else {
            throw FeedError(.tooLarge, detail: "\(bytes.count) bytes, limit \(configuration.maxBytes)")
        }
        let outcome: Result<ParsedFeed, FeedError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(FeedError) -> ParsedFeed in
                try parse(buffer, bytes: bytes, url: url, charset: charset)
            }
        }
        return try outcome.get()
    }

    /// `Data` convenience for `parse(_:url:charset:)`.
    public func parse(_ data: Data, url: URL? = nil, charset: String? = nil) throws(FeedError) -> ParsedFeed {
        guard data.count <= configuration.maxBytes else {
            throw FeedError(.tooLarge, detail: "\(data.count) bytes, limit \(configuration.maxBytes)")
        }
        return try parse([UInt8](data), url: url, charset: charset)
    }

    private func parse(
        _ buffer: UnsafeRawBufferPointer, bytes: [UInt8], url: URL?, charset: String?
    ) throws(FeedError) -> ParsedFeed {
        let sniff = InputSniff(buffer)
        switch sniff.kind {
        case .empty:
            throw FeedError(.empty)
        case .html:
            throw FeedError(.htmlPage)
        case .other(let gzip):
            throw FeedError(.notXML, detail: gzip ? "gzip-compressed data" : nil)
        case .json:
            var feed = try GNewsParser.parse(bytes[(sniff.byteOrderMark == nil ? 0 : 3)...])
            feed.hasByteOrderMark = sniff.byteOrderMark != nil
            return feed
        case .xml:
            var parser = XMLFeedParser(configuration: configuration, documentURL: url, sniff: sniff, charset: charset)
            return try parser.parse(buffer)
        }
    }
}
