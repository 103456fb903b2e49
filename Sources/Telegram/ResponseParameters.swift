/// Extra information in an error response: how long to wait after a 429, or the new
/// id of a group that was upgraded to a supergroup.
public struct ResponseParameters: Codable, Sendable, Hashable {
    /// Seconds to wait before repeating the request (429 Too Many Requests).
    public var retryAfter: Int?
    /// The group moved to the supergroup with this id; resend there.
    public var migrateToChatID: Int64?

    public init(retryAfter: Int? = nil, migrateToChatID: Int64? = nil) {
        self.retryAfter = retryAfter
        self.migrateToChatID = migrateToChatID
    }

    enum CodingKeys: String, CodingKey {
        case retryAfter = "retry_after"
        case migrateToChatID = "migrate_to_chat_id"
    }
}
