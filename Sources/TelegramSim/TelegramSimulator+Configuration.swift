import Telegram

extension TelegramSimulator {
    /// How the simulator listens and behaves. Defaults match Telegram; tests usually set
    /// `port: 0` and read the bound port from `start()`.
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        /// The only token accepted; any other gets 401 Unauthorized.
        public var token: BotToken
        public var rateLimits: SimulatorRateLimits
        /// Keep every accepted message (text, keyboard) for `messages(chatID:)`; switch off
        /// for long load tests to keep memory flat (counters and stats stay exact).
        public var recordMessages: Bool
        /// Answer `answerCallbackQuery` for an id that was never injected, or answered
        /// already, with 400 "query is too old…", like Telegram.
        public var strictCallbackQueries: Bool
        /// Accept `http://` webhook URLs (Telegram requires HTTPS; tests have none).
        public var allowInsecureWebhooks: Bool
        /// Wait between failed webhook deliveries of the same update.
        public var webhookRetryDelay: Duration
        /// Time a webhook endpoint has to answer.
        public var webhookTimeout: Duration
        public var botUsername: String
        public var botFirstName: String
        /// Largest request body accepted (413 beyond).
        public var maxBodyBytes: Int

        /// A well-formed token that is obviously not a real one.
        public static let defaultToken = BotToken("123456789:AAsimulatedTokenForNewsbotTests000")

        public init(
            host: String = "127.0.0.1", port: Int = 0, token: BotToken = Configuration.defaultToken,
            rateLimits: SimulatorRateLimits = .telegram, recordMessages: Bool = true,
            strictCallbackQueries: Bool = true, allowInsecureWebhooks: Bool = true,
            webhookRetryDelay: Duration = .milliseconds(200), webhookTimeout: Duration = .seconds(5),
            botUsername: String = "newsbot_sim_bot", botFirstName: String = "newsbot",
            maxBodyBytes: Int = 1 << 20
        ) {
            self.host = host
            self.port = port
            self.token = token
            self.rateLimits = rateLimits
            self.recordMessages = recordMessages
            self.strictCallbackQueries = strictCallbackQueries
            self.allowInsecureWebhooks = allowInsecureWebhooks
            self.webhookRetryDelay = webhookRetryDelay
            self.webhookTimeout = webhookTimeout
            self.botUsername = botUsername
            self.botFirstName = botFirstName
            self.maxBodyBytes = maxBodyBytes
        }
    }
}
