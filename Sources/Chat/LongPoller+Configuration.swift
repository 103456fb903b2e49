extension LongPoller {
    /// How the poller asks Telegram for updates.
    public struct Configuration: Sendable {
        /// Long-poll wait per `getUpdates` call, seconds.
        public var timeout: Int
        /// Updates per call (Telegram: 1–100).
        public var limit: Int
        /// The update kinds the bot handles; Telegram sends only these.
        public var allowedUpdates: [String]
        /// Chats whose updates are applied at once within one batch (one chat's stay in order).
        public var concurrency: Int
        /// First wait after a failed call; doubles up to `maxBackoff`.
        public var baseBackoff: Duration
        public var maxBackoff: Duration
        /// How long the stored offset lives without a poll.
        public var offsetTTL: Duration

        public init(timeout: Int = 25, limit: Int = 100, allowedUpdates: [String] = LongPoller.allowedUpdates,
                    concurrency: Int = 16, baseBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30),
                    offsetTTL: Duration = .seconds(7 * 24 * 3600)) {
            self.timeout = max(0, timeout)
            self.limit = min(max(1, limit), 100)
            self.allowedUpdates = allowedUpdates
            self.concurrency = max(1, concurrency)
            self.baseBackoff = baseBackoff
            self.maxBackoff = maxBackoff
            self.offsetTTL = offsetTTL
        }
    }

    /// What the chat front handles: also the `allowed_updates` of `setWebhook`.
    public static let allowedUpdates = ["message", "callback_query", "my_chat_member"]
}
