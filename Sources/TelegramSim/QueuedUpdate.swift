/// An injected update waiting for getUpdates or the webhook, kept as the JSON it was
/// injected with so unknown update kinds pass through untouched.
struct QueuedUpdate: Sendable {
    var id: Int64
    /// The update's kind: its first key other than `update_id` ("message", …).
    var kind: String
    var json: String
}
