/// A Telegram bot token (`123456:ABC-…`).
///
/// Tokens grant full control of the bot and travel in the URL path (`/bot<token>/method`),
/// so this wrapper exists to keep them out of logs: `description`, `debugDescription` and
/// string interpolation all print a redacted form. Use `rawValue` only to build requests.
public struct BotToken: Sendable, Hashable, RawRepresentable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// The numeric bot id before the colon, which Telegram treats as public (it is the
    /// bot's user id); nil when the token has no such prefix.
    public var botID: Int64? {
        guard let colon = rawValue.firstIndex(of: ":") else { return nil }
        return Int64(rawValue[..<colon])
    }

    /// True when the token has Telegram's shape: digits, a colon, then at least 30 of
    /// `A-Za-z0-9_-`. Only a sanity check for configuration, not an authentication.
    public var isWellFormed: Bool {
        guard botID != nil, let colon = rawValue.firstIndex(of: ":") else { return false }
        let secret = rawValue[rawValue.index(after: colon)...]
        return secret.utf8.count >= 30 && secret.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
        }
    }

    /// Redacted: keeps the public bot id so operators can tell bots apart.
    public var description: String {
        if let botID { return "\(botID):<redacted>" }
        return "<redacted>"
    }

    public var debugDescription: String { "BotToken(\(description))" }

    /// Keeps `dump()` and debuggers from showing `rawValue`.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
