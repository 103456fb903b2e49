internal import CLibXML2
import Foundation

/// One libxml2 streaming reader (`xmlTextReader`) over a buffer the caller keeps alive for
/// the reader's whole life (libxml2 does not copy it). Only the current node and its
/// ancestors are in memory, except while `readString`/`readInnerXML` expand one field.
final class XMLStreamReader {
    private let reader: OpaquePointer
    let errors = XMLErrorCollector()

    /// Node types of `xmlTextReaderNodeType` the feed parser reacts to.
    static let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    static let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)

    /// The encoding the XML declaration names, for `unsupportedEncoding` errors.
    private let declaredEncoding: String?

    init?(buffer: UnsafeRawBufferPointer, documentURL: String?, encoding: String?, declaredEncoding: String?) {
        LibXML.initialize()
        guard let base = buffer.baseAddress,
              let reader = xmlReaderForMemory(
                base.assumingMemoryBound(to: CChar.self), Int32(buffer.count),
                documentURL, encoding, LibXML.readerOptions
              )
        else { return nil }
        self.reader = reader
        self.declaredEncoding = declaredEncoding
        let context = Unmanaged.passUnretained(errors).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, collectXMLError, context)
        // Errors libxml2 raises outside the parser context (encoding conversion) go to the
        // thread's handler; route them to this parse too, until `deinit`.
        xmlSetStructuredErrorFunc(context, collectXMLError)
    }

    deinit {
        xmlSetStructuredErrorFunc(nil, nil)
        xmlFreeTextReader(reader)
    }

    /// Moves to the next node in document order: true on a node, false at the end.
    func read() throws(FeedError) -> Bool {
        try check(xmlTextReaderRead(reader))
    }

    /// Moves past the current element's subtree to the node after it.
    func skipSubtree() throws(FeedError) -> Bool {
        try check(xmlTextReaderNext(reader))
    }

    private func check(_ result: Int32) throws(FeedError) -> Bool {
        if result < 0 || errors.fatal != nil {
            throw errors.feedError(declaredEncoding: declaredEncoding, fallbackLine: line)
        }
        return result == 1
    }

    var nodeType: Int32 { xmlTextReaderNodeType(reader) }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    var namespaceURI: String {
        xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } ?? ""
    }

    /// The base URI in effect at the current node: the document URL combined with every
    /// `xml:base` on the way down.
    var baseURI: String? {
        Self.take(xmlTextReaderBaseUri(reader))
    }

    /// An attribute without a namespace (`rel`, `href`, `isPermaLink`).
    func attribute(_ name: String) -> String? {
        name.withXMLChars { Self.take(xmlTextReaderGetAttribute(reader, $0)) }
    }

    /// A namespaced attribute (`rdf:about`).
    func attribute(_ localName: String, namespace: String) -> String? {
        localName.withXMLChars { name in
            namespace.withXMLChars { Self.take(xmlTextReaderGetAttributeNs(reader, name, $0)) }
        }
    }

    /// The concatenated text and CDATA of the current element's subtree, markup removed;
    /// entity references are not expanded.
    func readString() -> String {
        Self.take(xmlTextReaderReadString(reader)) ?? ""
    }

    /// The markup inside the current element (for Atom `xhtml` content).
    func readInnerXML() -> String {
        Self.take(xmlTextReaderReadInnerXml(reader)) ?? ""
    }

    /// Converts and frees a string libxml2 allocated for us.
    private static func take(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        defer { newsbot_xml_free(pointer) }
        return String(cString: pointer)
    }
}

private extension String {
    /// libxml2 takes `const xmlChar *`: pass a Swift string through as UTF-8.
    func withXMLChars<Result>(_ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: utf8.count + 1, body) }
    }
}
