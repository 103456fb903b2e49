/// How a text element's content is to be read and reduced to plain text.
enum FeedTextType: Equatable {
    /// Plain text by specification (Atom `type="text"`): whitespace collapsed, nothing else.
    case text
    /// Plain text in theory, often markup in practice (RSS titles): reduced as HTML only
    /// when it looks like HTML.
    case textOrHTML
    /// Escaped HTML or CDATA (RSS descriptions, Atom `type="html"`).
    case html
    /// Inline XHTML child elements (Atom `type="xhtml"`).
    case xhtml
    /// Content we do not read (Atom base64 media, out-of-line `src` content).
    case unsupported

    /// The type an Atom text construct declares in its `type` attribute (RFC 4287 §3.1,
    /// §4.1.3: also MIME types for `content`).
    init(atomType: String?) {
        switch atomType?.lowercased() {
        case nil, "text", "text/plain": self = .text
        case "html", "text/html": self = .html
        case "xhtml", "application/xhtml+xml": self = .xhtml
        case let mime? where mime.hasSuffix("+xml") || mime.hasSuffix("/xml"): self = .xhtml
        case let mime? where mime.hasPrefix("text/"): self = .text
        default: self = .unsupported
        }
    }
}
