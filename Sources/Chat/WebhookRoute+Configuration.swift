extension WebhookRoute {
    /// The webhook endpoint's limits.
    public struct Configuration: Sendable {
        /// The DESIGN.md contract path.
        public var path: String
        /// Larger bodies get 413; a real update is a few kilobytes.
        public var maxBodyBytes: Int
        /// Updates applied at once; more get 503 so Telegram retries later.
        public var maxInFlight: Int

        public init(path: String = "/telegram/webhook", maxBodyBytes: Int = 1 << 20, maxInFlight: Int = 512) {
            self.path = path
            self.maxBodyBytes = max(1, maxBodyBytes)
            self.maxInFlight = max(1, maxInFlight)
        }
    }
}
