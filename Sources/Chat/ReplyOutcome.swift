/// What became of one reply.
enum ReplyOutcome: Sendable, Hashable {
    case sent
    /// 403 or chat not found: the user blocked the bot or is gone; they are marked blocked.
    case recipientGone
    /// Given up after the allowed attempts, or refused (a 400 for the request itself).
    case failed
}
