/// Why a waiting long poll was woken.
enum PollWake: Sendable {
    /// New updates arrived, or the webhook changed: look again.
    case recheck
    /// The poll's timeout passed.
    case timeout
    /// A newer getUpdates took over: answer 409.
    case conflict
    /// The request's task was cancelled.
    case cancelled
}
