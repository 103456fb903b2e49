import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Telegram

/// A Bot API simulator for tests, the demo and load tests: the methods newsbot calls,
/// Telegram's flood limits and error answers, fault injection per chat, a record of
/// every accepted message, and incoming updates by long polling or webhook.
///
/// Use it as a `Service` (`run()`), or from tests with `start()` (bind port 0, get the
/// port) and `stop()`. Everything the control HTTP API (`/sim/…`) offers is also here
/// as Swift methods.
public final class TelegramSimulator: Service, Sendable {
    public let configuration: Configuration
    private let core: SimulatorCore
    private let logger: Logger
    private let boundPort = Mutex<Int?>(nil)
    private let runTask = Mutex<Task<Void, Never>?>(nil)

    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "newsbot.telegram-sim")) {
        self.configuration = configuration
        self.logger = logger
        self.core = SimulatorCore(configuration: configuration, logger: logger)
    }

    // MARK: lifecycle

    /// Serves until cancelled or until graceful shutdown of the surrounding service group.
    public func run() async throws {
        try await run(onRunning: { _ in })
    }

    private func run(onRunning: @escaping @Sendable (Int) -> Void) async throws {
        defer { boundPort.withLock { $0 = nil } }
        try await application(onRunning: onRunning).run()
    }

    /// The Hummingbird application serving the simulator, with the webhook pusher as
    /// one of its services.
    func application(onRunning: @escaping @Sendable (Int) -> Void = { _ in }) -> Application<SimulatorResponder> {
        let logger = self.logger
        let host = configuration.host
        let tokenDescription = configuration.token.description
        let responder = SimulatorResponder(core: core)
        return Application(
            responder: responder,
            server: .http1(fastPath: { SendMessageFastPath(responder: responder) }),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port)),
            services: [WebhookPusherService(core: core)],
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? 0
                self.boundPort.withLock { $0 = port }
                logger.info(
                    "telegram simulator listening",
                    metadata: ["http.url": "http://\(host):\(port)", "telegram.token": "\(tokenDescription)"])
                onRunning(port)
            },
            logger: logger
        )
    }

    /// Starts serving in the background; returns the bound port (useful with port 0).
    public func start() async throws -> Int {
        let signal = StartupSignal()
        return try await withCheckedThrowingContinuation { continuation in
            signal.install(continuation)
            let task = Task {
                do {
                    try await self.run(onRunning: { signal.resume(with: .success($0)) })
                    signal.resume(with: .failure(CancellationError()))
                } catch {
                    signal.resume(with: .failure(error))
                }
            }
            runTask.withLock { $0 = task }
        }
    }

    /// Stops a simulator started with `start()` and waits until it has shut down.
    public func stop() async {
        let task = runTask.withLock { stored in
            defer { stored = nil }
            return stored
        }
        task?.cancel()
        await task?.value
    }

    /// The port it listens on while running.
    public var port: Int? { boundPort.withLock { $0 } }

    /// `http://host:port` while running: the `TELEGRAM_API_URL` for clients.
    public var baseURL: String {
        "http://\(configuration.host):\(port ?? configuration.port)"
    }

    /// A client configuration pointing at this simulator with its token.
    public func clientConfiguration(requestTimeout: Duration = .seconds(10)) -> TelegramClient.Configuration {
        TelegramClient.Configuration(baseURL: baseURL, token: configuration.token, requestTimeout: requestTimeout)
    }

    // MARK: faults and limits

    /// Makes sends and edits to `chatID` (nil: to every chat without a fault of its own)
    /// fail with `fault` for the next `times` requests (nil: until cleared). nil clears.
    public func setFault(_ fault: SimulatedFault?, forChat chatID: Int64?, times: Int? = nil) {
        core.setFault(fault, chatID: chatID, times: times)
    }

    public func clearFaults() {
        core.clearFaults()
    }

    public var rateLimits: SimulatorRateLimits {
        get { core.rateLimits() }
    }

    public func setRateLimits(_ limits: SimulatorRateLimits) {
        core.setRateLimits(limits)
    }

    // MARK: observations

    /// Accepted messages of one chat in message-id order, or of all chats in the order
    /// they were accepted. Empty when `recordMessages` is off.
    public func messages(chatID: Int64? = nil) -> [SimulatedMessage] {
        core.messages(chatID: chatID)
    }

    public func stats(includeChats: Bool = true) -> SimulatorStats {
        core.stats(includeChats: includeChats)
    }

    public func chatStats(_ chatID: Int64) -> SimulatorChatStats? {
        core.chatStats(chatID)
    }

    public func callbackAnswers() -> [SimulatedCallbackAnswer] {
        core.callbackAnswers()
    }

    public func webhookInfo() -> WebhookInfo {
        core.webhookInfo()
    }

    /// True while a getUpdates long poll is parked here waiting for updates: lets tests
    /// order a second poller after the first without guessing how long the first takes.
    public var isLongPollWaiting: Bool {
        core.isLongPollWaiting
    }

    // MARK: incoming updates

    /// Queues an update for getUpdates or the webhook; returns its `update_id`
    /// (`update.updateID` when positive, else the next free id).
    @discardableResult
    public func injectUpdate(_ update: Update) throws -> Int64 {
        var data = try JSONEncoder().encode(update)
        if update.updateID <= 0 {
            // Let the simulator number it: drop the placeholder id.
            var object = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
            object.removeValue(forKey: "update_id")
            data = try JSONSerialization.data(withJSONObject: object)
        }
        return try core.injectUpdate(json: data)
    }

    /// Queues an update given as JSON (any kind, also ones `Update` does not model).
    @discardableResult
    public func injectUpdate(json: Data) throws -> Int64 {
        try core.injectUpdate(json: json)
    }

    /// Forgets messages, statistics, faults, queued updates and the webhook.
    public func reset() {
        core.reset()
    }
}
