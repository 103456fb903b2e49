import Foundation

extension XMLFeedParser {
    /// The format a root element announces.
    static func rootFormat(name: String, namespace: String) throws(FeedError) -> FeedFormat {
        switch (namespace, name) {
        case ("", "rss"), (FeedNamespace.rss2Userland, "rss"): return .rss2
        case (FeedNamespace.rdf, "RDF"): return .rss1
        case (FeedNamespace.atom, "feed"): return .atom
        case (_, let html) where html.lowercased() == "html": throw FeedError(.htmlPage)
        default: throw FeedError(.unknownRoot, detail: namespace.isEmpty ? name : "\(name) (\(namespace))")
        }
    }

    /// What an element means in a context. Element names are matched together with their
    /// namespace: `title` means different things in RSS, Atom, Dublin Core and XHTML.
    static func field(
        format: FeedFormat, context: FeedContext, name: String, namespace: String, reader: XMLStreamReader
    ) -> FeedField {
        switch format {
        case .rss2: rss2Field(context: context, name: name, namespace: namespace)
        case .rss1: rss1Field(context: context, name: name, namespace: namespace)
        case .atom: atomField(context: context, name: name, namespace: namespace, type: reader.attribute("type"))
        case .gnews: .skip
        }
    }

    private static func rss2Field(context: FeedContext, name: String, namespace: String) -> FeedField {
        let plain = namespace.isEmpty || namespace == FeedNamespace.rss2Userland
        switch (context, plain ? "" : namespace, name) {
        case (.document, "", "channel"): return .descend(.channel)
        case (.document, "", "item"), (.channel, "", "item"): return .descend(.item)
        case (.channel, "", "title"): return .feedTitle(.textOrHTML)
        case (.channel, "", "link"): return .feedLink
        case (.item, "", "title"): return .title(.textOrHTML)
        case (.item, "", "link"): return .link
        case (.item, "", "guid"): return .guid
        case (.item, "", "pubDate"): return .published
        case (.item, "", "description"): return .summary(.html)
        case (.item, "", "source"): return .rssSource
        case (.item, FeedNamespace.dublinCore, "date"): return .dcDate
        case (.item, FeedNamespace.content, "encoded"): return .content(.html)
        case (.item, FeedNamespace.atom, "link"): return .atomLink
        case (.item, FeedNamespace.atom, "updated"): return .updated
        default: return .skip
        }
    }

    private static func rss1Field(context: FeedContext, name: String, namespace: String) -> FeedField {
        let rss = namespace == FeedNamespace.rss1 || namespace == FeedNamespace.rss090
        switch (context, rss ? "" : namespace, name) {
        case (.document, "", "channel"): return .descend(.channel)
        case (.document, "", "item"): return .descend(.item)
        case (.channel, "", "title"): return .feedTitle(.textOrHTML)
        case (.channel, "", "link"): return .feedLink
        case (.item, "", "title"): return .title(.textOrHTML)
        case (.item, "", "link"): return .link
        case (.item, "", "description"): return .summary(.html)
        case (.item, FeedNamespace.dublinCore, "date"): return .dcDate
        case (.item, FeedNamespace.content, "encoded"): return .content(.html)
        default: return .skip
        }
    }

    private static func atomField(context: FeedContext, name: String, namespace: String, type: String?) -> FeedField {
        guard namespace == FeedNamespace.atom else { return .skip }
        switch (context, name) {
        case (.document, "title"): return .feedTitle(FeedTextType(atomType: type))
        case (.document, "link"): return .feedAtomLink
        case (.document, "entry"): return .descend(.item)
        case (.item, "title"): return .title(FeedTextType(atomType: type))
        case (.item, "link"): return .atomLink
        case (.item, "id"): return .guid
        case (.item, "published"): return .published
        case (.item, "updated"): return .updated
        case (.item, "summary"): return .summary(FeedTextType(atomType: type))
        case (.item, "content"): return .content(FeedTextType(atomType: type))
        case (.item, "source"): return .descend(.itemSource)
        case (.itemSource, "title"): return .sourceTitle(FeedTextType(atomType: type))
        case (.itemSource, "link"): return .sourceLink
        default: return .skip
        }
    }

    /// Reads a field's value at the reader's current element into the feed or the item.
    mutating func read(_ field: FeedField, from reader: XMLStreamReader) {
        switch field {
        case .feedTitle(let type):
            feed.title = text(type, reader)
        case .feedLink:
            feed.link = feed.link ?? LinkResolver.resolve(reader.readString(), base: reader.baseURI)
        case .feedAtomLink:
            if isAlternate(reader), feed.link == nil { feed.link = link(reader.attribute("href"), reader) }
        case .title(let type):
            item.title = text(type, reader)
        case .link:
            item.link = link(reader.readString(), reader)
        case .atomLink:
            if isAlternate(reader), item.alternateLink == nil { item.alternateLink = link(reader.attribute("href"), reader) }
        case .guid:
            readGUID(reader)
        case .published:
            item.published = reader.readString()
        case .dcDate:
            item.dcDate = reader.readString()
        case .updated:
            item.updated = reader.readString()
        case .summary(let type):
            item.summary = text(type, reader).flatMap { $0.isEmpty ? nil : $0 }
        case .content(let type):
            if reader.attribute("src") == nil {
                item.content = text(type, reader).flatMap { $0.isEmpty ? nil : $0 }
            }
        case .rssSource:
            item.sourceName = text(.textOrHTML, reader)
            item.sourceURL = reader.attribute("url").flatMap { LinkResolver.resolve($0, base: reader.baseURI) }
        case .sourceTitle(let type):
            item.sourceName = text(type, reader)
        case .sourceLink:
            if isAlternate(reader), item.sourceURL == nil {
                item.sourceURL = reader.attribute("href").flatMap { LinkResolver.resolve($0, base: reader.baseURI) }
            }
        case .descend, .skip:
            break
        }
    }

    private mutating func readGUID(_ reader: XMLStreamReader) {
        let value = reader.readString().trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return }
        item.guid = value
        if format == .atom {
            item.guidIsPermaLink = false
        } else {
            // RSS 2.0: a guid is a permalink unless it says isPermaLink="false".
            item.guidIsPermaLink = reader.attribute("isPermaLink")?.lowercased() != "false"
            item.guidLink = item.guidIsPermaLink ? LinkResolver.resolve(value, base: base(reader)) : nil
        }
    }

    /// Plain text of a text construct, nil for content we do not read.
    private func text(_ type: FeedTextType, _ reader: XMLStreamReader) -> String? {
        switch type {
        case .text: HTMLText.collapsingWhitespace(reader.readString())
        case .textOrHTML: HTMLText.plainText(fromTextOrHTML: reader.readString())
        case .html: HTMLText.plainText(fromHTML: reader.readString())
        case .xhtml: HTMLText.plainText(fromHTML: reader.readInnerXML())
        case .unsupported: nil
        }
    }

    /// Atom's `rel` defaults to "alternate" (RFC 4287 §4.2.7.2).
    private func isAlternate(_ reader: XMLStreamReader) -> Bool {
        (reader.attribute("rel") ?? "alternate").lowercased() == "alternate"
    }

    /// An item link resolved against `xml:base`, the document URL, or (for a feed read from
    /// a file) the feed's own site link; a warning when it cannot be made absolute http(s).
    private mutating func link(_ raw: String?, _ reader: XMLStreamReader) -> URL? {
        guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        guard let url = LinkResolver.resolve(raw, base: base(reader)) else {
            let position = contexts.last?.context == .item ? "item \(itemsSeen): " : ""
            feed.warnings.append("\(position)link dropped, not an absolute http(s) URL")
            return nil
        }
        return url
    }

    /// The base relative links resolve against: `xml:base` and the document URL as libxml2
    /// combines them, else (a feed read from a file) the feed's own site link.
    func base(_ reader: XMLStreamReader) -> String? {
        reader.baseURI ?? feed.link?.absoluteString
    }
}
