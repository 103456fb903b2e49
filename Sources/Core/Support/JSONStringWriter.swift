/// Appends JSON string literals to a byte buffer, escaped exactly as Foundation's `JSONEncoder`
/// escapes them (with `.withoutEscapingSlashes`): `"` and `\`, the short forms \b \f \n \r \t,
/// `\u00XX` for other control characters, everything else verbatim.
///
/// For the few hot paths that write JSON by hand (one delivery job per message, the Bot API
/// calls of the send loop): the generic encoder costs several times more than the bytes.
public enum JSONStringWriter {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `value` as a quoted JSON string. Runs without escapes are copied whole.
    public static func append(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): out += #"\""#.utf8
                case UInt8(ascii: "\\"): out += #"\\"#.utf8
                case 0x08: out += #"\b"#.utf8
                case 0x0C: out += #"\f"#.utf8
                case UInt8(ascii: "\n"): out += #"\n"#.utf8
                case UInt8(ascii: "\r"): out += #"\r"#.utf8
                case UInt8(ascii: "\t"): out += #"\t"#.utf8
                default: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                 hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in decimal.
    public static func append(_ value: Int64, to out: inout [UInt8]) {
        out += String(value).utf8
    }
}
