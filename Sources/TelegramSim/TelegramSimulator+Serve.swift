import Hummingbird
import Logging
import Telegram

extension TelegramSimulator {
    /// The whole `newsbot telegram-sim [--port P] [--global-rate N] [--per-chat-rate N]`
    /// command in one call: serves until SIGINT or SIGTERM. nil keeps the default;
    /// a rate of 0 switches that limit off.
    public static func serve(
        host: String = "127.0.0.1", port: Int = 8081, globalRate: Int? = nil, perChatRate: Int? = nil,
        perGroupPerMinute: Int? = nil, token: BotToken? = nil,
        logger: Logger = Logger(label: "newsbot.telegram-sim")
    ) async throws {
        var limits = SimulatorRateLimits.telegram
        if let globalRate { limits.globalPerSecond = globalRate }
        if let perChatRate { limits.perChatPerSecond = perChatRate }
        if let perGroupPerMinute { limits.perGroupPerMinute = perGroupPerMinute }
        let configuration = Configuration(
            host: host, port: port, token: token ?? Configuration.defaultToken, rateLimits: limits)
        try await serve(configuration: configuration, logger: logger)
    }

    /// Serves `configuration` until SIGINT or SIGTERM.
    public static func serve(configuration: Configuration, logger: Logger = Logger(label: "newsbot.telegram-sim")) async throws {
        let simulator = TelegramSimulator(configuration: configuration, logger: logger)
        try await simulator.application().runService()
    }
}
