/// How Telegram parses a message's text into formatting entities. newsbot renders
/// `HTML` only; the other modes exist so a request can be decoded faithfully.
public struct ParseMode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
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

    public static let html = ParseMode(rawValue: "HTML")
    public static let markdownV2 = ParseMode(rawValue: "MarkdownV2")
    public static let markdown = ParseMode(rawValue: "Markdown")

    /// Telegram compares parse modes case-insensitively.
    public var isHTML: Bool { rawValue.lowercased() == "html" }

    public var description: String { rawValue }
}
