/// A news topic as users type it, normalised so "  Python " and "python" are one topic.
///
/// Normalisation: trimmed, inner whitespace collapsed to one space, lower-cased. Comparison and
/// hashing use the normalised form only, which is also what caches and fixture file names use.
public struct Topic: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The normalised form.
    public let name: String

    /// Normalises `raw`; returns nil for an empty or whitespace-only topic.
    public init?(_ raw: String) {
        // Stored names come back this way on every read: no split, join or case mapping then.
        if Self.isNormalisedASCII(raw) {
            self.name = raw
            return
        }
        let words = raw.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        guard !words.isEmpty else { return nil }
        self.name = words.joined(separator: " ").lowercased()
    }

    /// Already a name as `init` makes it: printable ASCII without capitals, words separated by
    /// single spaces, none leading or trailing.
    static func isNormalisedASCII(_ raw: String) -> Bool {
        var afterSpace = true  // a leading space is not normalised
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: " "):
                if afterSpace { return false }
                afterSpace = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return false
            case 0x21...0x7E:
                afterSpace = false
            default:
                return false
            }
        }
        return !afterSpace  // not empty, no trailing space
    }

    public var description: String { name }

    public static func < (lhs: Topic, rhs: Topic) -> Bool { lhs.name < rhs.name }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let topic = Topic(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty topic"))
        }
        self = topic
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
