/// Escaping for Telegram's HTML parse mode, shared by the Telegram module and the render stage
/// (which does not depend on Telegram): `&`, `<`, `>`, and `"` inside attribute values.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>` (and `"` when `quotes`) and nothing else. Text with none of them,
    /// the common case, comes back as it is, without a copy.
    public static func escape(_ text: String, quotes: Bool) -> String {
        func needsEscape(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || (quotes && byte == UInt8(ascii: "\""))
        }
        guard text.utf8.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
