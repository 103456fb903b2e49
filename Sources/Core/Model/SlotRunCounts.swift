/// Progress of a slot run, aggregated from its per-user and per-message records.
public struct SlotRunCounts: Sendable, Hashable, Codable {
    public var usersDue: Int
    /// Due users whose digest is not rendered yet.
    public var usersPending: Int
    /// Users with at least one message.
    public var usersWithDigest: Int
    /// Skipped users by reason (e.g. `no_news`).
    public var usersSkipped: [String: Int]
    public var messages: Int
    public var messagesDelivered: Int
    /// Messages given up on (dead-lettered, or the user blocked the bot).
    public var messagesFailed: Int

    public init(usersDue: Int = 0, usersPending: Int = 0, usersWithDigest: Int = 0, usersSkipped: [String: Int] = [:],
                messages: Int = 0, messagesDelivered: Int = 0, messagesFailed: Int = 0) {
        self.usersDue = usersDue
        self.usersPending = usersPending
        self.usersWithDigest = usersWithDigest
        self.usersSkipped = usersSkipped
        self.messages = messages
        self.messagesDelivered = messagesDelivered
        self.messagesFailed = messagesFailed
    }

    public var messagesPending: Int { messages - messagesDelivered - messagesFailed }
}
