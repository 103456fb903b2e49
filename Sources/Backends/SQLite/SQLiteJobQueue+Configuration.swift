extension SQLiteJobQueue {
    public struct Configuration: Sendable, Hashable {
        /// How long a received job stays invisible to other consumers before it is handed out again
        /// when its worker neither acks nor retries it.
        public var visibilityTimeout: Duration
        /// How often `receive` also takes back the leases of consumers whose process is gone
        /// (the first `receive` always does). Nil: only through `recoverAbandoned`.
        public var recoveryInterval: Duration?
        /// `receive(wait:)` polls the table with a backoff between these pauses.
        public var minimumPoll: Duration
        public var maximumPoll: Duration

        public init(visibilityTimeout: Duration = .seconds(60), recoveryInterval: Duration? = .seconds(5),
                    minimumPoll: Duration = .milliseconds(1), maximumPoll: Duration = .milliseconds(20)) {
            self.visibilityTimeout = visibilityTimeout
            self.recoveryInterval = recoveryInterval
            self.minimumPoll = minimumPoll
            self.maximumPoll = max(minimumPoll, maximumPoll)
        }
    }
}
