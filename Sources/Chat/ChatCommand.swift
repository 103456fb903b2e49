import Core
/// A bot command in a message: `/name`, `/name@bot_username` (group chats address the bot this
/// way), with the rest of the text as its argument.
struct ChatCommand: Sendable, Hashable {
    /// Lower-cased, without the slash and the `@bot` suffix.
    var name: String
    /// The text after the command, trimmed; empty when none.
    var argument: String

    /// Parses `text` when it starts with a slash; nil for ordinary text.
    init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.first == UInt8(ascii: "/") else { return nil }
        if let parsed = Self.asciiHead(trimmed) {
            guard let command = parsed else { return nil }
            self = command
            return
        }
        self.init(general: trimmed)
    }

    /// The parse of `trimmed` when its command word is plain ASCII up to ASCII whitespace or the
    /// end (every command a client sends): bytes instead of characters, the same result as
    /// `init(general:)`. Nil: the head is not all ASCII, so only the general parse can tell.
    static func asciiHead(_ trimmed: String) -> ChatCommand?? {
        let bytes = trimmed.utf8
        var end = bytes.startIndex
        var at: String.Index?
        while end < bytes.endIndex {
            let byte = bytes[end]
            if byte == 0x20 || (0x09...0x0D).contains(byte) { break }
            guard byte < 0x80 else { return nil }
            if byte == UInt8(ascii: "@"), at == nil { at = end }
            end = bytes.index(after: end)
        }
        let command = bytes[bytes.index(after: bytes.startIndex)..<(at ?? end)]
        guard !command.isEmpty, command.count <= 32, command.allSatisfy({ byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }) else { return .some(nil) }
        let name = String(decoding: command.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        return ChatCommand(name: name, argument: String(Substring(bytes[end...])).trimmingWhitespace())
    }

    private init(name: String, argument: String) {
        self.name = name
        self.argument = argument
    }

    /// The parse by characters, for a command word with non-ASCII in it.
    init?(general trimmed: String) {
        guard trimmed.first == "/", trimmed.count > 1 else { return nil }
        let head = trimmed.prefix { !$0.isWhitespace }
        var command = head.dropFirst()
        if let at = command.firstIndex(of: "@") { command = command[..<at] }
        guard !command.isEmpty, command.count <= 32,
              command.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        name = command.lowercased()
        argument = trimmed.dropFirst(head.count).trimmingWhitespace()
    }
}
