public import Core

extension DeliveryWorker {
    /// How one worker consumes the deliver queue. Rates, concurrency and retries come from the
    /// pipeline's `DeliveryPolicy`; the rest are operational knobs with safe defaults.
    public struct Configuration: Sendable {
        public var policy: DeliveryPolicy
        public var queue: QueueName
        /// Most jobs taken per `receive`; fewer when fewer sends are free.
        public var batchSize: Int
        /// How long one `receive` waits for the first job when the queue is empty.
        public var receiveWait: Duration
        /// After graceful shutdown, how long sends already under way may take before they are
        /// cancelled (their jobs go back to the queue).
        public var shutdownGracePeriod: Duration
        /// Margin under the policy's rates; see `DeliveryLimits`.
        public var safetyFactor: Double
        /// Longest single sleep while waiting for a rate-limit token, so a shutdown is noticed
        /// even during a long 429 pause.
        public var tokenWaitSlice: Duration
        /// How often `run(until:)` evaluates its condition while jobs keep arriving (it is also
        /// evaluated whenever the queue comes up empty).
        public var conditionInterval: Duration
        /// How long a claim on a message being sent lasts (with several delivering processes):
        /// longer than one send with its token wait and request timeout, so a claim only runs
        /// out when its holder died.
        public var claimTTL: Duration = .seconds(120)
        /// When a copy of a job finds its message claimed by another worker, how long until it
        /// looks again (by then the holder has usually recorded the send in the ledger).
        public var claimRetryDelay: Duration = .seconds(5)

        public init(
            policy: DeliveryPolicy = DeliveryPolicy(), queue: QueueName = .deliver, batchSize: Int = 64,
            receiveWait: Duration = .milliseconds(250), shutdownGracePeriod: Duration = .seconds(15),
            safetyFactor: Double = DeliveryLimits.defaultSafetyFactor, tokenWaitSlice: Duration = .milliseconds(250),
            conditionInterval: Duration = .milliseconds(200)
        ) {
            self.policy = policy
            self.queue = queue
            self.batchSize = max(1, batchSize)
            self.receiveWait = receiveWait
            self.shutdownGracePeriod = shutdownGracePeriod
            self.safetyFactor = safetyFactor
            self.tokenWaitSlice = max(tokenWaitSlice, .milliseconds(1))
            self.conditionInterval = conditionInterval
        }

        /// Concurrent sends, at least 1.
        var concurrency: Int { max(1, policy.concurrency) }
    }
}
