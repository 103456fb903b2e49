extension TelegramClient {
    /// Where and how to reach the Bot API. Only the executable reads the environment
    /// (`TELEGRAM_API_URL`, `TELEGRAM_BOT_TOKEN`) and fills this in.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// `https://api.telegram.org`, or the simulator's `http://127.0.0.1:PORT`.
        public var baseURL: String
        public var token: BotToken
        /// Time allowed for one call; a long poll gets its `timeout` added on top.
        public var requestTimeout: Duration
        /// Largest response body accepted (getUpdates with 100 updates stays far below).
        public var maxResponseBytes: Int
        /// Most keep-alive connections `sendMessage` opens; each pipelines any number of
        /// requests, so a few carry a send loop of hundreds in flight. 0: send through
        /// AsyncHTTPClient like every other method.
        public var sendConnections: Int

        public static let defaultBaseURL = "https://api.telegram.org"
        public static let defaultSendConnections = 4

        public init(
            baseURL: String = Configuration.defaultBaseURL, token: BotToken,
            requestTimeout: Duration = .seconds(10), maxResponseBytes: Int = 8 << 20,
            sendConnections: Int = Configuration.defaultSendConnections
        ) {
            self.baseURL = baseURL
            self.token = token
            self.requestTimeout = requestTimeout
            self.maxResponseBytes = maxResponseBytes
            self.sendConnections = sendConnections
        }

        public var description: String {
            "TelegramClient.Configuration(baseURL: \(baseURL), token: \(token), requestTimeout: \(requestTimeout))"
        }
    }
}
