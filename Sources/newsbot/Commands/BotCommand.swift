import ArgumentParser
import Chat
import Core
import Logging
import Prometheus
import ServiceLifecycle
import Telegram

/// `newsbot bot [--webhook | --polling] [--set-webhook URL]`: the chat front only.
///
/// Polling (the default) runs one `getUpdates` loop: exactly one instance per bot token.
/// Webhook mode serves `POST /telegram/webhook` next to `/healthz`, `/readyz` and `/metrics`;
/// any number of instances may run behind a load balancer on a shared store (PostgreSQL +
/// Redis, or one SQLite file on one machine).
struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run the Telegram chat front (long polling by default, or webhooks)."
    )

    @Flag(help: "Take updates on POST /telegram/webhook (needs TELEGRAM_WEBHOOK_SECRET).")
    var webhook = false

    @Flag(help: "Take updates with getUpdates (the default; one instance per bot).")
    var polling = false

    @Option(name: .customLong("set-webhook"), help: "Call setWebhook with this public HTTPS URL at start (with --webhook).")
    var setWebhook: String?

    @Option(name: .customLong("max-connections"), help: "setWebhook max_connections (1–100).")
    var maxConnections: Int = 40

    @Option(name: .customLong("flow-ttl-minutes"), help: "Minutes after which a half-finished conversation is forgotten.")
    var flowTTLMinutes: Int = 60

    @Option(name: .customLong("max-in-flight"), help: "Webhook updates applied at once; more get 503 and are redelivered.")
    var maxInFlight: Int = 512

    @OptionGroup var options: CommonOptions

    func validate() throws {
        try Self.validate(webhook: webhook, polling: polling, setWebhook: setWebhook, maxConnections: maxConnections,
                          flowTTLMinutes: flowTTLMinutes, maxInFlight: maxInFlight)
    }

    func run() async throws {
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let metrics = MetricsSetup.bootstrap()
        let logger = Logger(label: "newsbot.bot")
        let runtime = try await Runtime.build(configuration, logger: logger)
        let telegram = try PipelineAssembly.telegramClient(configuration, logger: logger)
        let chat = try await Self.chatServices(
            webhook: webhook, setWebhook: setWebhook, maxConnections: maxConnections, flowTTLMinutes: flowTTLMinutes,
            maxInFlight: maxInFlight, configuration: configuration, runtime: runtime, telegram: telegram,
            metrics: metrics, logger: logger)
        logger.info("bot: starting", metadata: ["newsbot.mode": "\(webhook ? "webhook" : "polling")",
                                                "newsbot.backends": "\(runtime.description)"])
        try await ServiceRunner.run(runtime.services + chat, logger: logger)
    }

    static func validate(webhook: Bool, polling: Bool, setWebhook: String?, maxConnections: Int, flowTTLMinutes: Int,
                         maxInFlight: Int) throws {
        if webhook && polling { throw ValidationError("choose one of --webhook and --polling") }
        if setWebhook != nil && !webhook { throw ValidationError("--set-webhook needs --webhook") }
        if let url = setWebhook, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw ValidationError("--set-webhook must be an https:// URL")
        }
        guard (1...100).contains(maxConnections) else { throw ValidationError("--max-connections must be 1–100") }
        guard flowTTLMinutes > 0 else { throw ValidationError("--flow-ttl-minutes must be at least 1") }
        guard maxInFlight > 0 else { throw ValidationError("--max-in-flight must be at least 1") }
    }

    /// The chat front's services for `bot` and `serve`: the poller or the webhook route, and the
    /// HTTP server with `/healthz`, `/readyz`, `/metrics` (and the webhook). List them after the
    /// services they use: `ServiceGroup` stops them first.
    static func chatServices(webhook: Bool, setWebhook: String?, maxConnections: Int, flowTTLMinutes: Int,
                             maxInFlight: Int, configuration: AppConfiguration, runtime: Runtime,
                             telegram: any TelegramAPI, metrics: PrometheusCollectorRegistry,
                             logger: Logger) async throws -> [any Service] {
        let router = UpdateRouter(
            configuration: .init(flowTTL: .seconds(flowTTLMinutes * 60)), telegram: telegram, store: runtime.store,
            queue: runtime.queue, states: runtime.conversations, updates: runtime.updates, limiter: runtime.limiter,
            logger: Logger(label: "newsbot.chat"))
        let http = OperationsServer.router(readiness: runtime.readiness, metrics: metrics)
        var services: [any Service] = []
        if webhook {
            guard let secret = configuration.webhookSecret else {
                throw NewsbotError(.configuration, "--webhook needs TELEGRAM_WEBHOOK_SECRET (1–256 of A-Z a-z 0-9 _ -): "
                                   + "Telegram sends it with every update so forged requests can be refused")
            }
            WebhookRoute(configuration: .init(maxInFlight: maxInFlight), router: router, secret: secret,
                         logger: Logger(label: "newsbot.chat.webhook")).register(on: http)
            if let url = setWebhook {
                try await WebhookRegistration.register(url: url, secret: secret, maxConnections: maxConnections, telegram: telegram)
                logger.info("bot: webhook set", metadata: ["http.url": "\(Redaction.redact(url))"])
            }
        } else {
            services.append(LongPoller(router: router, telegram: telegram, states: runtime.conversations,
                                       logger: Logger(label: "newsbot.chat.poller")))
        }
        services.append(OperationsServer.application(router: http, host: configuration.httpHost,
                                                     port: configuration.httpPort, logger: logger))
        return services
    }
}
