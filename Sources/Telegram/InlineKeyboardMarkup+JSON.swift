import Core

/// Inline keyboards as JSON by hand, in the layout `JSONEncoder` writes for them: the client
/// writes every reply's keyboard this way and the simulator reads it back (and writes it in its
/// answer) the same way, so a reply with buttons costs no more than a plain one.
extension InlineKeyboardMarkup {
    /// Appends `{"inline_keyboard":[[{"text":…,"callback_data":…,"url":…},…],…]}`.
    public func appendJSON(to out: inout [UInt8]) {
        out += #"{"inline_keyboard":["#.utf8
        for (rowIndex, row) in inlineKeyboard.enumerated() {
            if rowIndex > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            for (index, button) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += #"{"text":"#.utf8
                JSONStringWriter.append(button.text, to: &out)
                if let data = button.callbackData {
                    out += #","callback_data":"#.utf8
                    JSONStringWriter.append(data, to: &out)
                }
                if let url = button.url {
                    out += #","url":"#.utf8
                    JSONStringWriter.append(url, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out += "]}".utf8
    }

    /// Reads what `appendJSON` writes; nil at the first byte it did not expect (the caller then
    /// falls back to `JSONDecoder`).
    public static func scan(_ scanner: inout JSONScanner) -> InlineKeyboardMarkup? {
        guard scanner.literal(#"{"inline_keyboard":["#) else { return nil }
        var rows: [[InlineKeyboardButton]] = []
        if scanner.literal("]}") { return InlineKeyboardMarkup(inlineKeyboard: rows) }
        repeat {
            guard scanner.literal("[") else { return nil }
            var row: [InlineKeyboardButton] = []
            if !scanner.literal("]") {
                repeat {
                    guard scanner.literal(#"{"text":"#), let text = scanner.string() else { return nil }
                    var button = InlineKeyboardButton(text: text)
                    if scanner.literal(#","callback_data":"#) {
                        guard let data = scanner.string() else { return nil }
                        button.callbackData = data
                    }
                    if scanner.literal(#","url":"#) {
                        guard let url = scanner.string() else { return nil }
                        button.url = url
                    }
                    guard scanner.literal("}") else { return nil }
                    row.append(button)
                } while scanner.literal(",")
                guard scanner.literal("]") else { return nil }
            }
            rows.append(row)
        } while scanner.literal(",")
        guard scanner.literal("]}") else { return nil }
        return InlineKeyboardMarkup(inlineKeyboard: rows)
    }
}
