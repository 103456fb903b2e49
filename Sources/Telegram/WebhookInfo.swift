/// The bot's webhook state (`getWebhookInfo`): an empty `url` means long polling.
/// `lastErrorMessage` tells why Telegram could not deliver the last update.
public struct WebhookInfo: Codable, Sendable, Hashable {
    public var url: String
    public var hasCustomCertificate: Bool
    public var pendingUpdateCount: Int
    public var lastErrorDate: Int64?
    public var lastErrorMessage: String?
    public var maxConnections: Int?
    public var allowedUpdates: [String]?

    public init(
        url: String, hasCustomCertificate: Bool = false, pendingUpdateCount: Int, lastErrorDate: Int64? = nil,
        lastErrorMessage: String? = nil, maxConnections: Int? = nil, allowedUpdates: [String]? = nil
    ) {
        self.url = url
        self.hasCustomCertificate = hasCustomCertificate
        self.pendingUpdateCount = pendingUpdateCount
        self.lastErrorDate = lastErrorDate
        self.lastErrorMessage = lastErrorMessage
        self.maxConnections = maxConnections
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey {
        case url
        case hasCustomCertificate = "has_custom_certificate"
        case pendingUpdateCount = "pending_update_count"
        case lastErrorDate = "last_error_date"
        case lastErrorMessage = "last_error_message"
        case maxConnections = "max_connections"
        case allowedUpdates = "allowed_updates"
    }
}
