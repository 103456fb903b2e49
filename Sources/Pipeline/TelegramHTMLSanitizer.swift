/// Turns a message's Telegram HTML into web HTML that is safe to embed in a page: only the tags
/// Telegram itself understands survive (mapped to their plain-HTML look), links keep only
/// http(s), `tg:` and `mailto:` targets, every attribute is rebuilt rather than copied, text is
/// decoded and re-escaped, and tags are balanced. Anything else is shown as text — a message
/// that somehow carried `<script>` would display it, never run it.
enum TelegramHTMLSanitizer {
    static func sanitize(_ html: String) -> String {
        var out = ""
        var open: [String] = []
        var text = Substring(html)
        while let lt = text.firstIndex(of: "<") {
            out += escapedText(text[..<lt])
            guard let gt = text[lt...].firstIndex(of: ">"), let tag = parseTag(text[text.index(after: lt)..<gt]) else {
                out += "&lt;"
                text = text[text.index(after: lt)...]
                continue
            }
            text = text[text.index(after: gt)...]
            if tag.closing {
                guard let element = element(for: tag.name, attributes: [:]).map(\.element),
                      let index = open.lastIndex(of: element) else { continue }
                // Close everything opened inside it too, so the output stays well-formed.
                for inner in open[index...].reversed() { out += "</\(inner)>" }
                open.removeSubrange(index...)
            } else if let (element, start) = element(for: tag.name, attributes: tag.attributes) {
                out += start
                open.append(element)
            } else {
                out += escape(String(html[lt...gt]))
            }
        }
        out += escapedText(text)
        for element in open.reversed() { out += "</\(element)>" }
        return out
    }

    /// The web element and its start tag for a Telegram tag, nil for tags Telegram does not allow.
    private static func element(for name: String, attributes: [String: String]) -> (element: String, start: String)? {
        switch name {
        case "b", "strong": return ("b", "<b>")
        case "i", "em": return ("i", "<i>")
        case "u", "ins": return ("u", "<u>")
        case "s", "strike", "del": return ("s", "<s>")
        case "code": return ("code", "<code>")
        case "pre": return ("pre", "<pre>")
        case "blockquote": return ("blockquote", "<blockquote>")
        case "tg-spoiler": return ("span", "<span class=\"spoiler\">")
        case "span":
            return attributes["class"] == "tg-spoiler" ? ("span", "<span class=\"spoiler\">") : ("span", "<span>")
        case "a":
            guard let href = attributes["href"], isSafeLink(href) else { return ("a", "<a>") }
            return ("a", "<a href=\"\(escape(href))\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">")
        default: return nil
        }
    }

    private static func isSafeLink(_ href: String) -> Bool {
        let lower = href.lowercased()
        return ["https://", "http://", "tg://", "mailto:"].contains { lower.hasPrefix($0) }
    }

    private struct Tag {
        var name: String
        var closing: Bool
        var attributes: [String: String]
    }

    /// `a href="x"` / `/b` → a tag; nil when it is not tag syntax (then `<` is text).
    private static func parseTag(_ body: Substring) -> Tag? {
        var rest = body
        let closing = rest.first == "/"
        if closing { rest = rest.dropFirst() }
        let name = rest.prefix { $0.isLetter || $0 == "-" }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var attributes: [String: String] = [:]
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            let key = rest.prefix { $0.isLetter || $0 == "-" || $0 == "_" }
            guard !key.isEmpty else { break }
            rest = rest.dropFirst(key.count).drop(while: \.isWhitespace)
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop(while: \.isWhitespace)
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let inner = rest.dropFirst()
                    let end = inner.firstIndex(of: quote) ?? inner.endIndex
                    value = String(inner[..<end])
                    rest = end < inner.endIndex ? inner[inner.index(after: end)...] : inner[end...]
                } else {
                    let raw = rest.prefix { !$0.isWhitespace }
                    value = String(raw)
                    rest = rest.dropFirst(raw.count)
                }
            }
            attributes[key.lowercased()] = decodeEntities(value)
        }
        guard rest.allSatisfy({ $0.isWhitespace || $0 == "/" }) else { return nil }
        return Tag(name: name.lowercased(), closing: closing, attributes: attributes)
    }

    private static func escapedText(_ text: Substring) -> String {
        escape(decodeEntities(String(text)))
    }

    /// `&lt; &gt; &amp; &quot;` and numeric entities → characters; anything else stays as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(10).firstIndex(of: ";"), let decoded = entity(after[..<semi]) {
                out += decoded
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }

    private static func entity(_ name: Substring) -> String? {
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        default:
            guard name.first == "#" else { return nil }
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
