/// A single-pass parser of Telegram's HTML parse mode over UTF-8 bytes, modelled on
/// tdlib's `parse_html` (tag names, attribute syntax, error wording), but stricter where
/// Telegram silently shows something other than what was meant:
///
/// * `&` must start one of `&lt; &gt; &amp; &quot;` or a numeric `&#N;` / `&#xN;`, with
///   the semicolon (tdlib shows a stray `&` literally and decodes `&lt` without `;`);
/// * tags inside `code`/`pre` (other than `<pre><code class="language-…">`), links in
///   links and blockquotes in blockquotes are errors (tdlib drops such entities).
///
/// So any text this accepts, Telegram accepts and shows as intended.
struct TelegramHTMLParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var stack: [HTMLTag] = []
    private(set) var length = 0
    private(set) var isBlank = true
    /// The visible text as UTF-8, collected only when asked for.
    private(set) var output: [UInt8]?

    init(bytes: UnsafeBufferPointer<UInt8>, collectText: Bool) {
        self.bytes = bytes
        self.output = collectText ? [] : nil
        if collectText { output?.reserveCapacity(bytes.count) }
    }

    mutating func parse() throws(TelegramHTMLError) {
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "<"):
                if index + 1 < end, bytes[index + 1] == UInt8(ascii: "/") {
                    try parseEndTag()
                } else {
                    try parseStartTag()
                }
            case UInt8(ascii: "&"):
                let (scalar, next) = try decodeEntity(at: index)
                emit(scalar: scalar)
                index = next
            default:
                emitRaw(byte)
                index += 1
            }
        }
        if let open = stack.last {
            throw TelegramHTMLError("Can't find end tag corresponding to start tag \"\(open.name)\"")
        }
    }

    // MARK: visible text

    private mutating func emitRaw(_ byte: UInt8) {
        if byte & 0xC0 != 0x80 { length += 1 }  // a code point starts here
        if byte >= 0xF0 { length += 1 }  // four-byte UTF-8 = a surrogate pair in UTF-16
        if isBlank && !Self.isSpace(byte) { isBlank = false }
        output?.append(byte)
    }

    private mutating func emit(scalar: UInt32) {
        length += scalar > 0xFFFF ? 2 : 1
        if isBlank && !(scalar < 0x80 && Self.isSpace(UInt8(scalar))) { isBlank = false }
        guard output != nil, let unicode = Unicode.Scalar(scalar) else { return }
        for unit in UTF8.encode(unicode)! { output!.append(unit) }
    }

    // MARK: entities

    /// Decodes the entity at `start` (which holds `&`); returns the scalar and the index
    /// after the entity.
    private func decodeEntity(at start: Int) throws(TelegramHTMLError) -> (UInt32, Int) {
        let end = bytes.count
        var position = start + 1
        if position < end, bytes[position] == UInt8(ascii: "#") {
            position += 1
            var hex = false
            if position < end, bytes[position] | 0x20 == UInt8(ascii: "x") {
                hex = true
                position += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while position < end, let digit = Self.digitValue(bytes[position], hex: hex) {
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
                digits += 1
                position += 1
            }
            guard digits > 0, position < end, bytes[position] == UInt8(ascii: ";") else {
                throw TelegramHTMLError("Unclosed numeric character reference at byte offset \(start)", byteOffset: start)
            }
            guard value > 0, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                throw TelegramHTMLError("Invalid numeric character reference at byte offset \(start)", byteOffset: start)
            }
            return (value, position + 1)
        }
        let nameStart = position
        while position < end, Self.isLetter(bytes[position]) { position += 1 }
        let name = UnsafeBufferPointer(rebasing: bytes[nameStart..<position])
        guard position < end, bytes[position] == UInt8(ascii: ";"), !name.isEmpty else {
            throw TelegramHTMLError(
                "Character \"&\" must be escaped as \"&amp;\" at byte offset \(start)", byteOffset: start)
        }
        let scalar: UInt32
        switch String(decoding: name, as: UTF8.self) {
        case "lt": scalar = 0x3C
        case "gt": scalar = 0x3E
        case "amp": scalar = 0x26
        case "quot": scalar = 0x22
        case let other:
            throw TelegramHTMLError(
                "Unsupported HTML entity \"&\(other);\" at byte offset \(start)", byteOffset: start)
        }
        return (scalar, position + 1)
    }

    // MARK: tags

    private mutating func parseStartTag() throws(TelegramHTMLError) {
        let begin = index
        let end = bytes.count
        index += 1
        let nameStart = index
        while index < end, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
        guard index < end else {
            throw TelegramHTMLError("Unclosed start tag at byte offset \(begin)", byteOffset: begin)
        }
        let nameBytes = UnsafeBufferPointer(rebasing: bytes[nameStart..<index])
        guard let tag = HTMLTag(name: nameBytes) else {
            let name = String(decoding: nameBytes, as: UTF8.self).lowercased()
            throw TelegramHTMLError("Unsupported start tag \"\(name)\" at byte offset \(begin)", byteOffset: begin)
        }
        var spanClass: [UInt8]?
        while true {
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end else {
                throw TelegramHTMLError("Unclosed start tag at byte offset \(begin)", byteOffset: begin)
            }
            if bytes[index] == UInt8(ascii: ">") { break }
            let attributeStart = index
            while index < end, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
                bytes[index] != UInt8(ascii: ">")
            {
                index += 1
            }
            let attributeName = String(decoding: UnsafeBufferPointer(rebasing: bytes[attributeStart..<index]), as: UTF8.self)
                .lowercased()
            if attributeName.isEmpty {
                throw TelegramHTMLError(
                    "Empty attribute name in the tag \"\(tag.name)\" at byte offset \(begin)", byteOffset: begin)
            }
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end else {
                throw TelegramHTMLError("Unclosed start tag at byte offset \(begin)", byteOffset: begin)
            }
            if bytes[index] != UInt8(ascii: "=") {
                if tag == .blockquote && attributeName == "expandable" { continue }
                throw TelegramHTMLError(
                    "Expected equal sign in declaration of an attribute of the tag \"\(tag.name)\" at byte offset \(begin)",
                    byteOffset: begin)
            }
            index += 1
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            guard index < end else {
                throw TelegramHTMLError("Unclosed start tag at byte offset \(begin)", byteOffset: begin)
            }
            let wantValue = attributeName == "class" && (tag == .span || tag == .code)
            let value = try parseAttributeValue(collect: wantValue)
            if wantValue && tag == .span { spanClass = value }
            guard index < end else {
                throw TelegramHTMLError("Unclosed start tag at byte offset \(begin)", byteOffset: begin)
            }
            if !Self.isSpace(bytes[index]) && bytes[index] != UInt8(ascii: ">") {
                throw TelegramHTMLError("Unexpected end of name token at byte offset \(index)", byteOffset: index)
            }
        }
        index += 1  // past ">"
        if tag == .span, spanClass.map({ String(decoding: $0, as: UTF8.self) }) != "tg-spoiler" {
            throw TelegramHTMLError("Tag \"span\" must have class \"tg-spoiler\" at byte offset \(begin)", byteOffset: begin)
        }
        try checkNesting(of: tag, at: begin)
        stack.append(tag)
    }

    /// Parses a quoted or bare attribute value at `index`, validating its entities; returns
    /// the decoded value when `collect` is set.
    private mutating func parseAttributeValue(collect: Bool) throws(TelegramHTMLError) -> [UInt8]? {
        let end = bytes.count
        var value: [UInt8]? = collect ? [] : nil
        let quote = bytes[index]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            // A name token: letters, digits, periods, hyphens; not case sensitive.
            while index < end, Self.isLetter(bytes[index]) || Self.isDigit(bytes[index])
                || bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "-")
            {
                value?.append(bytes[index] >= 0x41 && bytes[index] <= 0x5A ? bytes[index] + 0x20 : bytes[index])
                index += 1
            }
            return value
        }
        let valueStart = index
        index += 1
        while index < end, bytes[index] != quote {
            if bytes[index] == UInt8(ascii: "&") {
                let (scalar, next) = try decodeEntity(at: index)
                if value != nil, let unicode = Unicode.Scalar(scalar) {
                    value!.append(contentsOf: UTF8.encode(unicode)!)
                }
                index = next
            } else {
                value?.append(bytes[index])
                index += 1
            }
        }
        guard index < end else {
            throw TelegramHTMLError(
                "Unclosed end of attribute value at byte offset \(valueStart)", byteOffset: valueStart)
        }
        index += 1  // past the closing quote
        return value
    }

    private func checkNesting(of tag: HTMLTag, at offset: Int) throws(TelegramHTMLError) {
        guard let parent = stack.last else { return }
        var forbiddenBy: HTMLTag?
        if stack.contains(.code) {
            forbiddenBy = .code
        } else if stack.contains(.pre), !(tag == .code && parent == .pre) {
            forbiddenBy = .pre
        } else if tag == .a, stack.contains(.a) {
            forbiddenBy = .a
        } else if tag == .blockquote, stack.contains(.blockquote) {
            forbiddenBy = .blockquote
        }
        if let forbiddenBy {
            throw TelegramHTMLError(
                "Tag \"\(tag.name)\" can't be nested in tag \"\(forbiddenBy.name)\" at byte offset \(offset)",
                byteOffset: offset)
        }
    }

    private mutating func parseEndTag() throws(TelegramHTMLError) {
        let begin = index
        let end = bytes.count
        guard let open = stack.last else {
            throw TelegramHTMLError("Unexpected end tag at byte offset \(begin)", byteOffset: begin)
        }
        index += 2
        let nameStart = index
        while index < end, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
        let nameBytes = UnsafeBufferPointer(rebasing: bytes[nameStart..<index])
        while index < end, Self.isSpace(bytes[index]) { index += 1 }
        guard index < end, bytes[index] == UInt8(ascii: ">") else {
            throw TelegramHTMLError("Unclosed end tag at byte offset \(begin)", byteOffset: begin)
        }
        index += 1
        // `</>` closes the innermost tag, as in tdlib.
        if !nameBytes.isEmpty, HTMLTag(name: nameBytes) != open {
            let found = String(decoding: nameBytes, as: UTF8.self)
            throw TelegramHTMLError(
                "Unmatched end tag at byte offset \(begin), expected \"</\(open.name)>\", found \"</\(found)>\"",
                byteOffset: begin)
        }
        stack.removeLast()
    }

    // MARK: character classes

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        if isDigit(byte) { return UInt32(byte - 0x30) }
        guard hex else { return nil }
        let lower = byte | 0x20
        if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") { return UInt32(lower - UInt8(ascii: "a") + 10) }
        return nil
    }
}
