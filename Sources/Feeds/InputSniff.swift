import Foundation

/// What the first bytes of an input say: its kind, its byte-order mark, the encoding its XML
/// declaration names, its root element, and whether its DTD declares entities.
///
/// Sniffing content rather than trusting a Content-Type lets `newsbot sources check` and the
/// fetch stage give a precise error ("an HTML page") where libxml2 would only say "malformed",
/// and an HTML page that is not well-formed XML never reaches the XML parser.
struct InputSniff {
    var kind: InputKind = .empty
    /// "UTF-8", "UTF-16BE" or "UTF-16LE" when the input starts with a byte-order mark.
    var byteOrderMark: String?
    /// The `encoding` pseudo-attribute of the XML declaration.
    var declaredEncoding: String?
    /// Local name of the first element.
    var rootName: String?
    /// True when a DOCTYPE's internal subset contains `<!ENTITY` declarations.
    var declaresEntities = false
    /// Offset parsing should start at: past whitespace some servers emit before `<?xml`
    /// (which would otherwise be a fatal "XML declaration allowed only at the start").
    var contentStart = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        var text = Array(bytes.prefix(3))
        if text.starts(with: [0xEF, 0xBB, 0xBF]) {
            byteOrderMark = "UTF-8"
            scan(Array(bytes), from: 3)
            return
        }
        let utf16: String.Encoding?
        if text.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F]) {
            utf16 = .utf16BigEndian
            byteOrderMark = text.starts(with: [0xFE, 0xFF]) ? "UTF-16BE" : nil
        } else if text.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) {
            utf16 = .utf16LittleEndian
            byteOrderMark = text.starts(with: [0xFF, 0xFE]) ? "UTF-16LE" : nil
        } else {
            utf16 = nil
        }
        if let utf16 {
            // libxml2 decodes UTF-16 itself; sniff a transcoded prefix only.
            let skip = byteOrderMark == nil ? 0 : 2
            let length = (min(bytes.count, skip + 8192) - skip) & ~1
            let prefix = Array(bytes[skip..<(skip + length)])
            text = Array((String(bytes: prefix, encoding: utf16) ?? "").utf8)
            scan(text, from: 0)
            contentStart = 0
            return
        }
        scan(Array(bytes), from: 0)
    }

    private mutating func scan(_ bytes: [UInt8], from start: Int) {
        var cursor = PrologCursor(bytes, at: start)
        cursor.skipWhitespace()
        guard let first = cursor.peek else { kind = .empty; return }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            kind = .json
            return
        case UInt8(ascii: "<"):
            break
        default:
            kind = .other(gzip: bytes.starts(with: [0x1F, 0x8B]))
            return
        }
        if cursor.position > start, cursor.starts(with: "<?xml") {
            contentStart = cursor.position
        }
        kind = .xml
        while let next = cursor.nextMarkup() {
            switch next {
            case .declaration(let encoding):
                declaredEncoding = encoding
            case .doctype(let name, let entities):
                declaresEntities = declaresEntities || entities
                if name.lowercased() == "html" { kind = .html; return }
            case .element(let name):
                rootName = name
                if ["html", "head", "body"].contains(name.lowercased()) { kind = .html }
                return
            }
        }
    }
}
