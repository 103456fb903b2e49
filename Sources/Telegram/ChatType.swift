/// The kind of a chat. A string wrapper rather than an enum so a kind Telegram adds
/// later still decodes instead of failing the whole update.
public struct ChatType: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
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

    public static let `private` = ChatType(rawValue: "private")
    public static let group = ChatType(rawValue: "group")
    public static let supergroup = ChatType(rawValue: "supergroup")
    public static let channel = ChatType(rawValue: "channel")

    /// Groups have the stricter 20 messages per minute limit.
    public var isGroup: Bool { self == .group || self == .supergroup }

    public var description: String { rawValue }
}
