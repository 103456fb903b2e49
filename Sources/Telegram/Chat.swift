/// A chat (`Chat` in the Bot API). Group and channel ids are negative, which is how the
/// rate limiter tells groups (20 msg/min) from private chats.
public struct Chat: Codable, Sendable, Hashable {
    public var id: Int64
    public var type: ChatType
    public var title: String?
    public var username: String?
    public var firstName: String?

    public init(id: Int64, type: ChatType, title: String? = nil, username: String? = nil, firstName: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
        self.firstName = firstName
    }

    enum CodingKeys: String, CodingKey {
        case id, type, title, username
        case firstName = "first_name"
    }
}
