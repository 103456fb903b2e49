/// The webhook set with `setWebhook`. `generation` changes on every `setWebhook`, so a
/// delivery started for an old URL cannot confirm an update for the new one.
struct WebhookSettings: Sendable {
    var url: String
    var secretToken: String?
    var maxConnections: Int
    var generation: Int
}
