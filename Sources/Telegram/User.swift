/// A Telegram user or bot (`User` in the Bot API). `languageCode` is the IETF tag of
/// the user's client language, used to pick the bot's reply language on `/start`.
public struct User: Codable, Sendable, Hashable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?
    public var languageCode: String?

    public init(
        id: Int64, isBot: Bool = false, firstName: String, lastName: String? = nil,
        username: String? = nil, languageCode: String? = nil
    ) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case id
        case isBot = "is_bot"
        case firstName = "first_name"
        case lastName = "last_name"
        case username
        case languageCode = "language_code"
    }
}
