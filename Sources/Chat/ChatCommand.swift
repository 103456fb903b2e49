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
