import ArgumentParser
import Core
import Logging
import Telegram
import TelegramSim

/// `newsbot telegram-sim [--port P] [--global-rate N] [--per-chat-rate N]`: the Bot API simulator.
struct TelegramSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telegram-sim",
        abstract: "Run the Telegram Bot API simulator (Telegram's limits and errors) on loopback."
    )

    @Option(help: "Port to listen on.")
    var port: Int = 8081

    @Option(help: "Host to bind.")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("global-rate"), help: "Messages per second for the whole bot (0 = unlimited).")
    var globalRate: Int = 30

    @Option(name: .customLong("per-chat-rate"), help: "Messages per second to one chat (0 = unlimited).")
    var perChatRate: Int = 1

    @Option(name: .customLong("per-group-rate"), help: "Messages per minute to one group (0 = unlimited).")
    var perGroupRate: Int = 20

    @Option(help: "Bot token the simulator accepts (default: TELEGRAM_BOT_TOKEN, else a test token).")
    var token: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard globalRate >= 0, perChatRate >= 0, perGroupRate >= 0 else { throw ValidationError("rates must be ≥ 0") }
    }

    func run() async throws {
        let configuration = try AppConfiguration.load()
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let tokenValue = token ?? configuration.telegramToken?.value
        print("telegram-sim listening on http://\(host):\(port) (global \(globalRate)/s, per chat \(perChatRate)/s, per group \(perGroupRate)/min)")
        try await TelegramSimulator.serve(
            host: host, port: port, globalRate: globalRate, perChatRate: perChatRate,
            perGroupPerMinute: perGroupRate, token: tokenValue.map { BotToken($0) }
        )
    }
}
