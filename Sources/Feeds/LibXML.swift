internal import CLibXML2

/// libxml2's process-wide setup, done exactly once before the first parse.
///
/// `xmlInitParser` must not race with itself or with a first parse; a Swift `static let`
/// initialiser runs once, thread-safely. The same step installs an external entity loader
/// that refuses everything: parse options already keep libxml2 from loading DTDs and
/// external entities (`XML_PARSE_NONET`, no `NOENT`, no `DTDLOAD`), and this is the second
/// lock on that door, so no file or URL is ever opened on behalf of a feed. Feeds is the only
/// libxml2 user in the process, so replacing the global loader affects nobody else.
enum LibXML {
    private static let initialized: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader(refuseExternalEntity)
        return true
    }()

    static func initialize() {
        _ = initialized
    }

    /// Whether libxml2 (natively or through iconv) can decode `name`.
    static func supportsEncoding(_ name: String) -> Bool {
        initialize()
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// Options for every feed parse: no network; entities are not substituted
    /// (`XML_PARSE_NOENT` off) and no DTD is loaded (`XML_PARSE_DTDLOAD` off); default size
    /// and depth limits stay on (`XML_PARSE_HUGE` off).
    static let readerOptions = Int32(XML_PARSE_NONET.rawValue)
}

/// The external entity loader: never loads anything.
private func refuseExternalEntity(
    _ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    nil
}
