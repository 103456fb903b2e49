/// What happened to one due user in a slot run.
public enum RunUserOutcome: Sendable, Hashable, Codable {
    /// Not rendered yet.
    case pending
    /// Rendered into this many messages.
    case rendered(parts: Int)
    /// No message, with a reason such as `no_news` or `blocked`.
    case skipped(reason: String)
}
