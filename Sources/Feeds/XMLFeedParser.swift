import Foundation

/// Parses one RSS 2.0, RSS 1.0 or Atom document with libxml2's streaming reader: a single
/// pass, keeping only the container elements it is inside (`FeedContext`) and the item being
/// built. Fields are read whole (`readString`), everything unrecognised is skipped subtree by
/// subtree, so memory stays bounded by the largest single field, not the document.
struct XMLFeedParser {
    let configuration: FeedParser.Configuration
    let documentURL: URL?
    let sniff: InputSniff
    let charset: String?

    var format: FeedFormat?
    var feed = ParsedFeed(format: .rss2)
    var contexts: [(context: FeedContext, depth: Int, name: String)] = []
    var item = FeedItemBuilder()
    var itemsSeen = 0
    var finished = false

    init(configuration: FeedParser.Configuration, documentURL: URL?, sniff: InputSniff, charset: String?) {
        self.configuration = configuration
        self.documentURL = documentURL
        self.sniff = sniff
        self.charset = charset
    }

    /// What to do after handling a node.
    private enum Step { case read, alreadyOnNext, end }

    mutating func parse(_ buffer: UnsafeRawBufferPointer) throws(FeedError) -> ParsedFeed {
        let encoding = forcedEncoding()
        let content = UnsafeRawBufferPointer(rebasing: buffer[sniff.contentStart...])
        guard let reader = XMLStreamReader(
            buffer: content, documentURL: documentURL?.absoluteString,
            encoding: encoding, declaredEncoding: sniff.declaredEncoding
        ) else {
            throw FeedError(.malformed, detail: "XML reader could not be created")
        }
        feed.declaredEncoding = sniff.declaredEncoding
        feed.detectedEncoding = sniff.byteOrderMark ?? encoding ?? sniff.declaredEncoding ?? "UTF-8"
        feed.hasByteOrderMark = sniff.byteOrderMark != nil
        if sniff.declaresEntities {
            feed.warnings.append("DTD entity declarations ignored: references to them are left out")
        }
        do {
            try run(reader)
        } catch {
            throw refined(error, reader: reader)
        }
        guard let format else {
            throw FeedError(.malformed, line: reader.line, detail: "no root element")
        }
        feed.format = format
        feed.warnings += reader.errors.warnings
        return feed
    }

    /// The read loop: one node at a time until the end of the document, the item limit or an
    /// error.
    private mutating func run(_ reader: XMLStreamReader) throws(FeedError) {
        let deadline = ContinuousClock.now.advanced(by: configuration.timeLimit)
        var step = Step.read
        var nodes = 0
        while !finished {
            if step == .read {
                guard try reader.read() else { break }
            } else if step == .end {
                break
            }
            nodes += 1
            if nodes % 256 == 0, ContinuousClock.now > deadline {
                throw FeedError(.timeLimit, line: reader.line, detail: "after \(configuration.timeLimit)")
            }
            switch reader.nodeType {
            case XMLStreamReader.element: step = try startElement(reader)
            case XMLStreamReader.endElement: endElement(reader); step = .read
            default: step = .read
            }
        }
    }

    /// Names truncation as such: libxml2 reports a document cut off inside the root element
    /// with messages that do not say so.
    private func refined(_ error: FeedError, reader: XMLStreamReader) -> FeedError {
        guard error.kind == .malformed, reader.errors.fatalIsEndOfInput, let open = contexts.last else { return error }
        return FeedError(.malformed, line: error.line, detail: "truncated, the document ends inside <\(open.name)>")
    }

    /// Applies the caller's charset (an HTTP `Content-Type` parameter) only when the document
    /// itself says nothing: a byte-order mark or an XML declaration is more often right.
    private mutating func forcedEncoding() -> String? {
        guard let charset, sniff.byteOrderMark == nil, sniff.declaredEncoding == nil else {
            // A UTF-8 byte-order mark cut off with leading whitespace still decides.
            return sniff.contentStart > 0 && sniff.byteOrderMark == "UTF-8" ? "UTF-8" : nil
        }
        guard LibXML.supportsEncoding(charset) else {
            feed.warnings.append("charset \"\(charset.prefix(40))\" ignored: unsupported")
            return nil
        }
        return charset
    }

    private mutating func startElement(_ reader: XMLStreamReader) throws(FeedError) -> Step {
        let name = reader.localName, namespace = reader.namespaceURI
        guard let format else {
            format = try Self.rootFormat(name: name, namespace: namespace)
            contexts = [(.document, reader.depth, name)]
            return .read
        }
        guard let context = contexts.last?.context else { return .read }
        let field = Self.field(format: format, context: context, name: name, namespace: namespace, reader: reader)
        switch field {
        case .descend(let child):
            if child == .item {
                guard itemsSeen < configuration.maxItems else {
                    feed.warnings.append("item limit (\(configuration.maxItems)) reached: later items ignored")
                    finished = true
                    return .end
                }
                itemsSeen += 1
                item = FeedItemBuilder()
                if format == .rss1, let about = reader.attribute("about", namespace: FeedNamespace.rdf) {
                    item.guid = about
                    item.aboutLink = LinkResolver.resolve(about, base: base(reader))
                }
            }
            if reader.isEmptyElement {
                if child == .item { finishItem() }
            } else {
                contexts.append((child, reader.depth, name))
            }
            return .read
        case .skip:
            break
        default:
            read(field, from: reader)
        }
        if reader.isEmptyElement { return .read }
        return try reader.skipSubtree() ? .alreadyOnNext : .end
    }

    private mutating func endElement(_ reader: XMLStreamReader) {
        guard let last = contexts.last, last.depth == reader.depth else { return }
        contexts.removeLast()
        if last.context == .item { finishItem() }
    }

    private mutating func finishItem() {
        if let built = item.build(position: itemsSeen, warnings: &feed.warnings) {
            feed.items.append(built)
        }
    }
}
