import Core

/// Telegram's HTML parse mode as pure functions, shared by the digest renderer (escape,
/// measure before splitting at 4096) and the simulator (reject what Telegram rejects).
///
/// Lengths are UTF-16 code units of the visible text: tags removed, entities decoded.
/// Telegram's entity offsets are UTF-16, and tdlib's length check counts code points,
/// which are never more than UTF-16 units, so a text within 4096 units here is within
/// Telegram's limit either way. The validator is deliberately a little stricter than
/// Telegram (see `TelegramHTMLParser`).
public enum TelegramHTML {
    /// Validates `html` and measures its visible text.
    public static func measure(_ html: String) throws(TelegramHTMLError) -> TelegramTextMetrics {
        var html = html
        return try html.withUTF8 { bytes in
            Result { () throws(TelegramHTMLError) in
                var parser = TelegramHTMLParser(bytes: bytes, collectText: false)
                try parser.parse()
                return TelegramTextMetrics(length: parser.length, isBlank: parser.isBlank)
            }
        }.get()
    }

    /// Validates `html` and returns the text a reader sees (tags removed, entities decoded).
    public static func visibleText(of html: String) throws(TelegramHTMLError) -> String {
        var html = html
        return try html.withUTF8 { bytes in
            Result { () throws(TelegramHTMLError) in
                var parser = TelegramHTMLParser(bytes: bytes, collectText: true)
                try parser.parse()
                return String(decoding: parser.output ?? [], as: UTF8.self)
            }
        }.get()
    }

    /// Validates `html` once and returns both the visible text and its metrics; what the
    /// simulator needs to answer `sendMessage` like Telegram (which echoes the text
    /// without tags).
    public static func parse(_ html: String) throws(TelegramHTMLError) -> (text: String, metrics: TelegramTextMetrics) {
        var html = html
        return try html.withUTF8 { bytes in
            Result { () throws(TelegramHTMLError) in
                var parser = TelegramHTMLParser(bytes: bytes, collectText: true)
                try parser.parse()
                let metrics = TelegramTextMetrics(length: parser.length, isBlank: parser.isBlank)
                return (String(decoding: parser.output ?? [], as: UTF8.self), metrics)
            }
        }.get()
    }

    /// Visible length of `html` in UTF-16 code units; throws when it is not valid.
    public static func visibleLength(of html: String) throws(TelegramHTMLError) -> Int {
        try measure(html).length
    }

    /// Throws the first problem Telegram (or our stricter reading of its rules) would
    /// report for `html`.
    public static func validate(_ html: String) throws(TelegramHTMLError) {
        _ = try measure(html)
    }

    public static func isValid(_ html: String) -> Bool {
        (try? measure(html)) != nil
    }

    /// Metrics of a text sent without a parse mode: every character is visible.
    public static func measurePlain(_ text: String) -> TelegramTextMetrics {
        TelegramTextMetrics(
            length: text.utf16.count,
            isBlank: text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
        )
    }

    /// Escapes text for use between tags: `&`, `<`, `>`.
    public static func escape(_ text: String) -> String {
        HTMLEscaping.escape(text, quotes: false)
    }

    /// Escapes an attribute value (such as an `href`) for use inside double quotes:
    /// `&`, `<`, `>` and `"`.
    public static func escapeAttribute(_ value: String) -> String {
        HTMLEscaping.escape(value, quotes: true)
    }
}
