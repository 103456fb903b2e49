/// Parameters of `setWebhook`. Telegram sends `secretToken` back in the
/// `X-Telegram-Bot-Api-Secret-Token` header of every webhook call, which is how the
/// webhook route tells Telegram from anyone else; an empty `url` removes the webhook.
public struct SetWebhookRequest: Codable, Sendable, Hashable {
    public var url: String
    public var secretToken: String?
    public var allowedUpdates: [String]?
    public var maxConnections: Int?
    public var dropPendingUpdates: Bool?

    public init(
        url: String, secretToken: String? = nil, allowedUpdates: [String]? = nil,
        maxConnections: Int? = nil, dropPendingUpdates: Bool? = nil
    ) {
        self.url = url
        self.secretToken = secretToken
        self.allowedUpdates = allowedUpdates
        self.maxConnections = maxConnections
        self.dropPendingUpdates = dropPendingUpdates
    }

    /// The header carrying `secretToken` on webhook requests.
    public static let secretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

    enum CodingKeys: String, CodingKey {
        case url
        case secretToken = "secret_token"
        case allowedUpdates = "allowed_updates"
        case maxConnections = "max_connections"
        case dropPendingUpdates = "drop_pending_updates"
    }
}
