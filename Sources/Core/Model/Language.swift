/// The languages digests and the bot speak. Anything else falls back to English.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case en
    case ru

    /// Picks a language from a Telegram `language_code` such as `ru`, `en-GB`, `uk`.
    public init(telegramCode: String?) {
        let prefix = telegramCode?.lowercased().prefix(2) ?? ""
        self = Language(rawValue: String(prefix)) ?? .en
    }

    public static func < (lhs: Language, rhs: Language) -> Bool { lhs.rawValue < rhs.rawValue }
}
