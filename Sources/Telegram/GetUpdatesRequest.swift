/// Parameters of `getUpdates` (long polling). `offset` must be the last seen
/// `update_id + 1`: that confirms every earlier update, which Telegram then forgets.
/// `timeout` is the long-poll wait in seconds (0 = answer at once).
public struct GetUpdatesRequest: Codable, Sendable, Hashable {
    public var offset: Int64?
    public var limit: Int?
    public var timeout: Int?
    public var allowedUpdates: [String]?

    public init(offset: Int64? = nil, limit: Int? = nil, timeout: Int? = nil, allowedUpdates: [String]? = nil) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey {
        case offset, limit, timeout
        case allowedUpdates = "allowed_updates"
    }
}
