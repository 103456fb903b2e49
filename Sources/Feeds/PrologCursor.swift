import Foundation

/// Walks the prolog of an XML-looking document (declaration, comments, processing
/// instructions, DOCTYPE) up to the first element, for `InputSniff`. Works on ASCII-compatible
/// bytes; it only recognises markup, it does not validate it.
struct PrologCursor {
    /// One piece of prolog markup.
    enum Markup {
        case declaration(encoding: String?)
        case doctype(name: String, declaresEntities: Bool)
        case element(name: String)
    }

    private let bytes: [UInt8]
    private(set) var position: Int

    init(_ bytes: [UInt8], at position: Int) {
        self.bytes = bytes
        self.position = position
    }

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    func starts(with literal: String, caseInsensitive: Bool = false) -> Bool {
        let pattern = Array(literal.utf8)
        guard position + pattern.count <= bytes.count else { return false }
        for (offset, expected) in pattern.enumerated() {
            var byte = bytes[position + offset]
            if caseInsensitive, byte >= 65, byte <= 90 { byte += 32 }
            if byte != expected { return false }
        }
        return true
    }

    /// The next declaration, DOCTYPE or element; comments and processing instructions are
    /// skipped; nil at the end of input or on anything that is not markup.
    mutating func nextMarkup() -> Markup? {
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "<") else { return nil }
            if starts(with: "<?xml") {
                let end = index(of: "?>") ?? bytes.count
                let declaration = String(decoding: bytes[position..<end], as: UTF8.self)
                position = min(end + 2, bytes.count)
                return .declaration(encoding: Self.pseudoAttribute("encoding", in: declaration))
            }
            if starts(with: "<?") {
                position = (index(of: "?>") ?? bytes.count - 2) + 2
            } else if starts(with: "<!--") {
                position = (index(of: "-->") ?? bytes.count - 3) + 3
            } else if starts(with: "<!doctype", caseInsensitive: true) {
                return doctype()
            } else {
                position += 1
                let start = position
                while let byte = peek, !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")) {
                    position += 1
                }
                let qualified = String(decoding: bytes[start..<position], as: UTF8.self)
                return .element(name: String(qualified.split(separator: ":").last ?? ""))
            }
        }
    }

    /// A DOCTYPE, including an internal subset whose quoted strings and comments may contain
    /// `]` or `>`.
    private mutating func doctype() -> Markup {
        position += 9
        skipWhitespace()
        let nameStart = position
        while let byte = peek, !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "[")) {
            position += 1
        }
        let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
        var entities = false
        var inSubset = false
        while let byte = peek {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                position += 1
                while let inner = peek, inner != byte { position += 1 }
                position += 1
            } else if inSubset, starts(with: "<!--") {
                position = (index(of: "-->") ?? bytes.count - 3) + 3
            } else if inSubset, starts(with: "<!ENTITY") {
                entities = true
                position += 8
            } else if byte == UInt8(ascii: "[") {
                inSubset = true
                position += 1
            } else if byte == UInt8(ascii: "]") {
                inSubset = false
                position += 1
            } else if byte == UInt8(ascii: ">"), !inSubset {
                position += 1
                break
            } else {
                position += 1
            }
        }
        return .doctype(name: name, declaresEntities: entities)
    }

    private func index(of literal: String) -> Int? {
        let pattern = Array(literal.utf8)
        var candidate = position
        while candidate + pattern.count <= bytes.count {
            if bytes[candidate] == pattern[0], Array(bytes[candidate..<(candidate + pattern.count)]) == pattern {
                return candidate
            }
            candidate += 1
        }
        return nil
    }

    /// The value of `name="…"` or `name='…'` inside an XML declaration.
    static func pseudoAttribute(_ name: String, in declaration: String) -> String? {
        guard let range = declaration.range(of: name) else { return nil }
        var rest = declaration[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix(while: { $0 != quote })
        return value.isEmpty ? nil : String(value)
    }
}
