/// One entry of a batch's `users.json`, as written there (snake_case, strings), before it is
/// checked and turned into a `Subscriber`.
struct ReplayUser: Decodable {
    var id: Int64
    var chatID: Int64
    var language: String
    var timezone: String?
    var slots: [String]
    var topics: [String]
    var status: String?

    enum CodingKeys: String, CodingKey {
        case id, chatID = "chat_id", language, timezone, slots, topics, status
    }
}
