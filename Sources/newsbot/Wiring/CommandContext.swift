import Logging
import Prometheus
import Telegram

/// What the long-running roles (`bot`, `serve`, `worker`) open `run()` with: the configuration
/// (environment, then flags), logging and metrics bootstrapped once for the process, the ports
/// built from the configuration, and the Telegram client.
struct CommandContext: Sendable {
    let configuration: AppConfiguration
    /// The registry `GET /metrics` renders.
    let metrics: PrometheusCollectorRegistry
    let logger: Logger
    let runtime: Runtime
    /// The Bot API client, or `UnavailableTelegram` for a role that never calls Telegram.
    let telegram: any TelegramAPI

    /// - Parameters:
    ///   - label: the process's logger label (`newsbot.bot`, `newsbot.serve`, …).
    ///   - needsTelegram: false for a role that never calls Telegram (a worker without the deliver
    ///     stage); it then needs no `TELEGRAM_BOT_TOKEN`.
    init(_ options: CommonOptions, label: String, needsTelegram: Bool = true) async throws {
        configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        metrics = MetricsSetup.bootstrap()
        logger = Logger(label: label)
        runtime = try await Runtime.build(configuration, logger: logger)
        telegram = needsTelegram ? try PipelineAssembly.telegramClient(configuration, logger: logger) : UnavailableTelegram()
    }
}
