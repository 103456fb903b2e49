internal import CLibXML2

/// Reduces HTML (feed descriptions, escaped titles, Atom `html`/`xhtml` text) to one line of
/// plain text: tags removed, `script`/`style` bodies dropped, entities decoded, whitespace
/// collapsed.
///
/// A small state machine rather than libxml2's HTML parser: feed snippets are fragments, and
/// the HTML parser wraps them in implied `html`/`body`/`p` elements and treats a lone `<` in
/// "a < b" as a broken tag. Here `<` only opens a tag when a letter, `/`+letter, `!` or `?`
/// follows and a closing `>` exists; otherwise it is text. Named entities come from libxml2's
/// HTML 4 table (`htmlEntityLookup`), plus `&apos;`.
public enum HTMLText {
    /// Plain text of an HTML fragment.
    public static func plainText(fromHTML html: String) -> String {
        var reducer = HTMLReducer(Array(html.utf8))
        return collapsingWhitespace(reducer.run())
    }

    /// For fields that should be plain text but often carry markup or double-escaped
    /// entities (RSS titles, GNews titles): reduced as HTML only when it looks like HTML, so
    /// "AT&T" or "a < b" survive untouched.
    public static func plainText(fromTextOrHTML text: String) -> String {
        looksLikeHTML(text) ? plainText(fromHTML: text) : collapsingWhitespace(text)
    }

    /// True when `text` contains a tag of a common HTML element or an entity reference.
    public static func looksLikeHTML(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                var start = index + 1
                if start < bytes.count, bytes[start] == UInt8(ascii: "/") { start += 1 }
                var end = start
                while end < bytes.count, HTMLReducer.isNameByte(bytes[end]) { end += 1 }
                let name = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
                let terminated = end < bytes.count && (bytes[end] == UInt8(ascii: ">") || bytes[end] == UInt8(ascii: "/") || bytes[end] == 32)
                if terminated, commonElements.contains(name) { return true }
            case UInt8(ascii: "&"):
                if HTMLReducer.decodeEntity(bytes, at: index) != nil { return true }
            default:
                continue
            }
        }
        return false
    }

    /// Every run of Unicode whitespace (including no-break spaces) becomes one space, control
    /// characters and byte-order marks are dropped, and the ends are trimmed.
    public static func collapsingWhitespace(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFEFF {
                continue
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Elements whose tags make a plain-text field "look like HTML".
    static let commonElements: Set<String> = [
        "a", "abbr", "b", "big", "blockquote", "br", "cite", "code", "del", "div", "em", "font",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "li", "mark", "ol",
        "p", "pre", "q", "s", "script", "small", "span", "strike", "strong", "style", "sub", "sup",
        "table", "td", "th", "time", "tr", "u", "ul",
    ]
}
