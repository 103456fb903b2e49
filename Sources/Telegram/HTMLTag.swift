/// The tags Telegram's HTML parse mode understands; anything else is a parse error.
enum HTMLTag: UInt8, Sendable {
    case b, strong, i, em, u, ins, s, strike, del, span, tgSpoiler, a, code, pre, blockquote

    /// Recognises a tag name case-insensitively, as Telegram does.
    init?(name: UnsafeBufferPointer<UInt8>) {
        var lower = ""
        lower.reserveCapacity(name.count)
        for byte in name {
            lower.unicodeScalars.append(Unicode.Scalar(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte))
        }
        switch lower {
        case "b": self = .b
        case "strong": self = .strong
        case "i": self = .i
        case "em": self = .em
        case "u": self = .u
        case "ins": self = .ins
        case "s": self = .s
        case "strike": self = .strike
        case "del": self = .del
        case "span": self = .span
        case "tg-spoiler": self = .tgSpoiler
        case "a": self = .a
        case "code": self = .code
        case "pre": self = .pre
        case "blockquote": self = .blockquote
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .b: "b"
        case .strong: "strong"
        case .i: "i"
        case .em: "em"
        case .u: "u"
        case .ins: "ins"
        case .s: "s"
        case .strike: "strike"
        case .del: "del"
        case .span: "span"
        case .tgSpoiler: "tg-spoiler"
        case .a: "a"
        case .code: "code"
        case .pre: "pre"
        case .blockquote: "blockquote"
        }
    }
}
