/// What the router did with one update.
public enum UpdateOutcome: String, Sendable, Hashable {
    /// Applied now (a reply may have been sent).
    case applied
    /// Applied before (same `update_id`): acknowledged and skipped.
    case duplicate
    /// Older than an update already applied to the chat: skipped, so one chat's updates never
    /// apply out of order.
    case outdated
    /// A kind the bot does not handle (edited messages, polls, channel posts…): acknowledged.
    case ignored
}
