/// Hand-written JSON for the replay outputs, whose bytes are a contract: keys in a fixed order
/// (not alphabetical), `/` not escaped, non-ASCII written as UTF-8, only what must be escaped
/// escaped. `JSONEncoder` guarantees none of that across platforms and versions.
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func array(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ",") + "]"
    }

    /// `{"a":1,"b":"x"}` from already-encoded values, in the order given.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// The same, pretty-printed with two-space indents; `indent` is the current depth.
    static func prettyObject(_ fields: [(String, String)], indent: Int = 0) -> String {
        guard !fields.isEmpty else { return "{}" }
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        return "{\n" + fields.map { pad + string($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n" + close + "}"
    }
}
