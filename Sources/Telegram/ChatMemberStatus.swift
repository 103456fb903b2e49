/// A member's status in a chat. For a private chat with the bot, `kicked` means the
/// user blocked the bot and `member` that they (re)started it.
public struct ChatMemberStatus: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let creator = ChatMemberStatus(rawValue: "creator")
    public static let administrator = ChatMemberStatus(rawValue: "administrator")
    public static let member = ChatMemberStatus(rawValue: "member")
    public static let restricted = ChatMemberStatus(rawValue: "restricted")
    public static let left = ChatMemberStatus(rawValue: "left")
    public static let kicked = ChatMemberStatus(rawValue: "kicked")

    /// Whether the bot can still post to the chat with this status.
    public var canReceiveMessages: Bool {
        self == .creator || self == .administrator || self == .member || self == .restricted
    }

    public var description: String { rawValue }
}
