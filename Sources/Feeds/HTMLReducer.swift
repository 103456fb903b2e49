internal import CLibXML2

/// The byte-level state machine behind `HTMLText`: walks UTF-8 bytes once, copying text,
/// skipping markup and decoding entities. Multi-byte UTF-8 sequences are copied untouched
/// because every byte the machine reacts to is ASCII.
struct HTMLReducer {
    private let bytes: [UInt8]
    private var index = 0
    private var output: [UInt8] = []
    /// Set once a tag or declaration ran to the end of input unclosed: every later `<` is
    /// then text too. Without this, input like `<a '<a '<a '…` would rescan to the end at
    /// each `<`, quadratic in the length of a hostile description.
    private var unclosedMarkupSeen = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        output.reserveCapacity(bytes.count)
    }

    mutating func run() -> String {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), markup() {
                continue
            }
            if byte == UInt8(ascii: "&"), let (scalar, end) = Self.decodeEntity(bytes, at: index) {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                index = end
                continue
            }
            output.append(byte)
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Consumes the markup starting at `index` (a `<`); false when it is a literal `<`.
    private mutating func markup() -> Bool {
        guard index + 1 < bytes.count, !unclosedMarkupSeen else { return false }
        let next = bytes[index + 1]
        if starts(with: "<!--") {
            index = end(of: "-->", from: index + 4)
            return true
        }
        if starts(with: "<![CDATA[") {
            let close = position(of: "]]>", from: index + 9) ?? bytes.count
            output.append(contentsOf: bytes[(index + 9)..<close])
            index = min(close + 3, bytes.count)
            return true
        }
        if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
            guard let close = position(of: ">", from: index) else {
                unclosedMarkupSeen = true
                return false
            }
            index = close + 1
            return true
        }
        let isEnd = next == UInt8(ascii: "/")
        let nameStart = index + (isEnd ? 2 : 1)
        guard nameStart < bytes.count, Self.isLetter(bytes[nameStart]) else { return false }
        var nameEnd = nameStart
        while nameEnd < bytes.count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        guard let close = tagEnd(from: nameEnd) else {
            unclosedMarkupSeen = true
            return false
        }
        let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self).lowercased()
        let selfClosing = close > 0 && bytes[close - 1] == UInt8(ascii: "/")
        index = close + 1
        if Self.blockElements.contains(name) { output.append(32) }
        if !isEnd, !selfClosing, Self.skippedElements.contains(name) {
            // Raw-text bodies (scripts, styles) are not text a reader sees.
            index = end(of: "</" + name, from: index, caseInsensitive: true)
            if let close = position(of: ">", from: index) { index = close + 1 }
            output.append(32)
        }
        return true
    }

    /// Index of the `>` closing a tag whose attributes start at `start`, honouring quoted
    /// attribute values; nil when the input ends first.
    private func tagEnd(from start: Int) -> Int? {
        var quote: UInt8?
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: ">") {
                return position
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            }
            position += 1
        }
        return nil
    }

    private func starts(with literal: String) -> Bool {
        let pattern = Array(literal.utf8)
        return index + pattern.count <= bytes.count && Array(bytes[index..<(index + pattern.count)]) == pattern
    }

    private func position(of literal: String, from start: Int, caseInsensitive: Bool = false) -> Int? {
        let pattern = Array(literal.utf8)
        guard start <= bytes.count - pattern.count else { return nil }
        for candidate in start...(bytes.count - pattern.count) {
            var matched = true
            for offset in pattern.indices {
                var byte = bytes[candidate + offset]
                if caseInsensitive, byte >= 65, byte <= 90 { byte += 32 }
                if byte != pattern[offset] { matched = false; break }
            }
            if matched { return candidate }
        }
        return nil
    }

    /// The index just past `literal`, or the end of input when it never comes.
    private func end(of literal: String, from start: Int, caseInsensitive: Bool = false) -> Int {
        position(of: literal, from: start, caseInsensitive: caseInsensitive).map { $0 + literal.utf8.count } ?? bytes.count
    }

    // MARK: entities

    /// Decodes `&name;`, `&#NNN;` or `&#xHHH;` at `start` (numeric ones may omit the `;`),
    /// returning the character and the index after the reference; nil for anything else.
    static func decodeEntity(_ bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        var position = start + 1
        guard position < bytes.count else { return nil }
        if bytes[position] == UInt8(ascii: "#") {
            position += 1
            var radix: UInt32 = 10
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "x") {
                radix = 16
                position += 1
            }
            var value: UInt32 = 0, digits = 0
            while position < bytes.count, let digit = digitValue(bytes[position], radix: radix), digits < 8 {
                value = value * radix + digit
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            if position < bytes.count, bytes[position] == UInt8(ascii: ";") { position += 1 }
            return (numericCharacter(value), position)
        }
        var nameEnd = position
        while nameEnd < bytes.count, nameEnd - position < 32, isAlphanumeric(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd > position, nameEnd < bytes.count, bytes[nameEnd] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: bytes[position..<nameEnd], as: UTF8.self)
        guard let scalar = namedCharacter(name) else { return nil }
        return (scalar, nameEnd + 1)
    }

    private static func namedCharacter(_ name: String) -> Unicode.Scalar? {
        if name == "apos" { return "'" }
        let value: UInt32? = name.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) { htmlEntityLookup($0)?.pointee.value }
        }
        return value.flatMap(Unicode.Scalar.init)
    }

    /// HTML's rules for numeric references: C1 codes mean their windows-1252 characters
    /// (old feeds write `&#146;` for ’), and invalid code points become U+FFFD.
    private static func numericCharacter(_ value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value), let mapped = windows1252[Int(value - 0x80)] {
            return mapped
        }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    private static let windows1252: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    // MARK: byte classes

    /// Elements that separate words: a space is emitted where they start or end.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "img", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    ]

    /// Elements whose content is never shown as text.
    static let skippedElements: Set<String> = ["script", "style", "template", "noscript", "iframe", "svg"]

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 48 && byte <= 57) }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_")
    }

    private static func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case 48...57: UInt32(byte - 48)
        case 97...102 where radix == 16: UInt32(byte - 87)
        case 65...70 where radix == 16: UInt32(byte - 55)
        default: nil
        }
    }
}
