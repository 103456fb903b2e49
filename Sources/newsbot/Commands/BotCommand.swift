import ArgumentParser
import Chat
import Core
import HummingbirdCore
import Logging
import NIOCore
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

    @OptionGroup var chat: ChatFrontOptions

    @Flag(help: "Take updates with getUpdates (the default; one instance per bot).")
    var polling = false

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if chat.webhook && polling { throw ValidationError("choose one of --webhook and --polling") }
    }

    func run() async throws {
        let context = try await CommandContext(options, label: "newsbot.bot")
        let front = try await Self.chatServices(
            chat, configuration: context.configuration, runtime: context.runtime, telegram: context.telegram,
            metrics: context.metrics, logger: context.logger)
        context.logger.info("bot: starting", metadata: ["newsbot.mode": "\(chat.webhook ? "webhook" : "polling")",
                                                        "newsbot.backends": "\(context.runtime.description)"])
        try await ServiceRunner.run(context.runtime.services + front, logger: context.logger)
    }

    /// The chat front's services for `bot`, `serve` and `loadtest webhook`: the poller or the
    /// webhook route, and the HTTP server with `/healthz`, `/readyz`, `/metrics` (and the webhook).
    /// List them after the services they use: `ServiceGroup` stops them first.
    ///
    /// - Parameters:
    ///   - router: how the update router behaves; nil: the defaults with the options' flow TTL.
    ///   - onListening: called with the bound port once the HTTP server listens (`HTTP_PORT=0`
    ///     picks a free one).
    static func chatServices(_ options: ChatFrontOptions, router routerConfiguration: UpdateRouter.Configuration? = nil,
                             configuration: AppConfiguration, runtime: Runtime, telegram: any TelegramAPI,
                             metrics: PrometheusCollectorRegistry, logger: Logger,
                             onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> [any Service] {
        let router = UpdateRouter(
            configuration: routerConfiguration ?? .init(flowTTL: .seconds(options.flowTTLMinutes * 60)),
            telegram: telegram, store: runtime.store, queue: runtime.queue, states: runtime.conversations,
            limiter: runtime.limiter, logger: Logger(label: "newsbot.chat"))
        let http = OperationsServer.router(readiness: runtime.readiness, metrics: metrics)
        var services: [any Service] = []
        var server = HTTPServerBuilder.http1()
        if options.webhook {
            guard let secret = configuration.webhookSecret else {
                throw NewsbotError(.configuration, "--webhook needs TELEGRAM_WEBHOOK_SECRET (1–256 of A-Z a-z 0-9 _ -): "
                                   + "Telegram sends it with every update so forged requests can be refused")
            }
            let route = WebhookRoute(configuration: .init(maxInFlight: options.maxInFlight), router: router, secret: secret,
                                     logger: Logger(label: "newsbot.chat.webhook"))
            route.register(on: http)
            server = route.server()
            if let url = options.setWebhook {
                try await WebhookRegistration.register(url: url, secret: secret, maxConnections: options.maxConnections,
                                                       telegram: telegram)
                logger.info("bot: webhook set", metadata: ["http.url": "\(Redaction.redact(url))"])
            }
        } else {
            services.append(LongPoller(router: router, telegram: telegram, states: runtime.conversations,
                                       logger: Logger(label: "newsbot.chat.poller")))
        }
        services.append(OperationsServer.application(router: http, host: configuration.httpHost,
                                                     port: configuration.httpPort, logger: logger,
                                                     server: server, onListening: onListening))
        return services
    }
}
