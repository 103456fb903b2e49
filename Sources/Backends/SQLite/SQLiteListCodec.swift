/// Stores a list of strings (topics, URLs) in one TEXT column: newline-separated, with `\` and
/// newline escaped so any string round-trips, and a leading U+0001 so an empty list and a list of
/// one empty string differ. Much cheaper than JSON for 100k rows; the common case (no backslash,
/// no newline) is a plain join and split. Works on UTF-8 bytes, not Characters, so a `\r` before
/// a separator cannot merge with it into one grapheme.
enum SQLiteListCodec {
    private static let marker: UInt8 = 0x01
    private static let newline = UInt8(ascii: "\n")
    private static let backslash = UInt8(ascii: "\\")

    static func encode(_ values: [String]) -> String {
        guard !values.isEmpty else { return "" }
        var output = "\u{1}"
        for (index, value) in values.enumerated() {
            if index > 0 { output += "\n" }
            if value.utf8.contains(where: { $0 == newline || $0 == backslash }) {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(value.utf8.count + 4)
                for byte in value.utf8 {
                    switch byte {
                    case backslash: bytes += [backslash, backslash]
                    case newline: bytes += [backslash, UInt8(ascii: "n")]
                    default: bytes.append(byte)
                    }
                }
                output += String(decoding: bytes, as: UTF8.self)
            } else {
                output += value
            }
        }
        return output
    }

    static func decode(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        guard bytes.first == marker else { return [] }
        return bytes[1...].split(separator: newline, omittingEmptySubsequences: false).map { segment in
            guard segment.contains(backslash) else { return String(decoding: segment, as: UTF8.self) }
            var unescaped: [UInt8] = []
            var escaping = false
            for byte in segment {
                if escaping {
                    unescaped.append(byte == UInt8(ascii: "n") ? newline : byte)
                    escaping = false
                } else if byte == backslash {
                    escaping = true
                } else {
                    unescaped.append(byte)
                }
            }
            return String(decoding: unescaped, as: UTF8.self)
        }
    }
}
