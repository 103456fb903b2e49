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
        // One byte buffer sized up front: appending String to String re-checks and regrows.
        var capacity = values.count
        for value in values { capacity += value.utf8.count }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity + 8)
        bytes.append(marker)
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(newline) }
            var value = value
            value.withUTF8 { utf8 in
                // Runs without a backslash or newline (nearly every URL whole) are copied at once.
                var runStart = 0
                for index in utf8.indices where utf8[index] == backslash || utf8[index] == newline {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    bytes += utf8[index] == backslash ? [backslash, backslash] : [backslash, UInt8(ascii: "n")]
                    runStart = index + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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
