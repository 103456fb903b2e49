/// Parameters of `deleteWebhook`; afterwards updates are available via `getUpdates`.
public struct DeleteWebhookRequest: Codable, Sendable, Hashable {
    public var dropPendingUpdates: Bool?

    public init(dropPendingUpdates: Bool? = nil) {
        self.dropPendingUpdates = dropPendingUpdates
    }

    enum CodingKeys: String, CodingKey {
        case dropPendingUpdates = "drop_pending_updates"
    }
}
