import Core

/// Text for Telegram's HTML parse mode: escaping, and the length Telegram checks against its
/// 4096 limit — UTF-16 code units of the text after entity parsing (tags removed, entities
/// decoded). Stages does not depend on the Telegram module, so it has its own cleaning and length;
/// the escaping itself is Core's `HTMLEscaping`, which Telegram uses too.
public enum TelegramHTMLText {
    /// Escapes `&`, `<`, `>` for text content, and makes the text one clean line: control
    /// characters dropped, whitespace runs (newlines included) collapsed to one space.
    public static func escapeText(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// Escapes `&`, `<`, `>` and `"` for a double-quoted attribute value.
    public static func escapeAttribute(_ text: String) -> String {
        escape(text, quotes: true)
    }

    /// Collapses whitespace and drops control characters, without escaping.
    public static func clean(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFEFF { continue }
            if pendingSpace { result.unicodeScalars.append(" "); pendingSpace = false }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// Escapes `&`, `<`, `>` (and `"` when `quotes`) and nothing else: for trusted text such as
    /// headers, where `clean`'s Unicode look-ups would cost more than the escaping.
    static func escapeMarkup(_ text: String, quotes: Bool = false) -> String {
        HTMLEscaping.escape(text, quotes: quotes)
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        escapeMarkup(clean(text), quotes: quotes)
    }

    /// The length Telegram measures: UTF-16 code units after removing tags and decoding the
    /// entities `&lt; &gt; &amp; &quot;` and numeric `&#…;` ones.
    public static func visibleLength(ofHTML html: String) -> Int {
        var length = 0
        var scalars = html.unicodeScalars.makeIterator()
        var inTag = false
        var entity: String.UnicodeScalarView? = nil
        while let scalar = scalars.next() {
            if inTag {
                if scalar == ">" { inTag = false }
                continue
            }
            if var pending = entity {
                if scalar == ";" {
                    length += decodedLength(String(pending))
                    entity = nil
                } else if pending.count < 10, scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "#" {
                    pending.append(scalar)
                    entity = pending
                } else {
                    // Not an entity after all: the `&` and what followed are literal text.
                    length += 1 + String(pending).utf16.count
                    entity = nil
                    if scalar == "<" { inTag = true } else if scalar == "&" { entity = .init() } else { length += scalar.utf16.count }
                }
                continue
            }
            switch scalar {
            case "<": inTag = true
            case "&": entity = .init()
            default: length += scalar.utf16.count
            }
        }
        if let pending = entity { length += 1 + String(pending).utf16.count }
        return length
    }

    /// UTF-16 length of the character an entity body (between `&` and `;`) stands for.
    private static func decodedLength(_ body: String) -> Int {
        switch body {
        case "lt", "gt", "amp", "quot": return 1
        default: break
        }
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            if let value, let scalar = Unicode.Scalar(value) { return scalar.utf16.count }
        }
        return body.utf16.count + 2
    }

    /// Characters of `text`, or fewer ending in `…` at a word boundary, so that the result has at
    /// most `maxUTF16` UTF-16 code units (whole characters only: an emoji is never split).
    public static func truncate(_ text: String, maxUTF16: Int) -> String {
        guard text.utf16.count > maxUTF16 else { return text }
        guard maxUTF16 > 1 else { return maxUTF16 == 1 ? "…" : "" }
        var end = text.startIndex
        var used = 0
        for index in text.indices {
            let width = text[index].utf16.count
            if used + width > maxUTF16 - 1 { break }
            used += width
            end = text.index(after: index)
        }
        return cutAtWord(text, at: end)
    }

    /// At most `maxCharacters` characters, ending in `…` at a word boundary when cut.
    public static func truncate(_ text: String, maxCharacters: Int) -> String {
        guard maxCharacters > 0 else { return "" }
        guard text.count > maxCharacters else { return text }
        guard maxCharacters > 1 else { return "…" }
        return cutAtWord(text, at: text.index(text.startIndex, offsetBy: maxCharacters - 1))
    }

    /// `text` up to `end`, without a word cut in half (when a word boundary exists in the second
    /// half) and without trailing punctuation, then `…`.
    private static func cutAtWord(_ text: String, at end: String.Index) -> String {
        var cut = text[..<end]
        let wordCut = end < text.endIndex && !text[end].isWhitespace
        if wordCut, let space = cut.lastIndex(where: \.isWhitespace),
           cut.distance(from: cut.startIndex, to: space) >= cut.count / 2 {
            cut = cut[..<space]
        }
        while let last = cut.last, last.isWhitespace || ",;:-–—".contains(last) { cut = cut.dropLast() }
        return cut + "…"
    }
}
