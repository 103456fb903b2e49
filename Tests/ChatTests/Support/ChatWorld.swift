import Chat
import Core
import Foundation
import Hummingbird
import Logging
import SQLiteBackend
import Synchronization
import Telegram
import TelegramSim

/// One bot for the duration of a test: the Telegram simulator, an SQLite file, and the chat
/// front reading updates by long polling or through the webhook route over HTTP. `restart()`
/// stops the front and starts a new one (new router, new database handle) on the same file, as a
/// process restart would.
final class ChatWorld: Sendable {
    let mode: ChatMode
    let simulator: TelegramSimulator
    let telegram: TelegramClient
    let clock: any NewsbotClock
    let configuration: UpdateRouter.Configuration
    let path: String
    let secret = Secret("test-secret_0123")
    private let running = Mutex<Running?>(nil)

    private struct Running: Sendable {
        let embedded: SQLiteEmbedded
        let router: UpdateRouter
        let task: Task<Void, any Error>
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "newsbot.chat.test")
        logger.logLevel = .critical
        return logger
    }

    /// Fast flows: no reply rate limits unless a test asks for them.
    static let testConfiguration = UpdateRouter.Configuration(replyLimits: .unlimited)

    private init(mode: ChatMode, simulator: TelegramSimulator, clock: any NewsbotClock,
                 configuration: UpdateRouter.Configuration, path: String) {
        self.mode = mode
        self.simulator = simulator
        self.telegram = TelegramClient(configuration: simulator.clientConfiguration(), logger: Self.quietLogger)
        self.clock = clock
        self.configuration = configuration
        self.path = path
    }

    static func with<T>(
        _ mode: ChatMode, clock: any NewsbotClock = SystemClock(),
        configuration: UpdateRouter.Configuration = ChatWorld.testConfiguration,
        limits: SimulatorRateLimits = .unlimited,
        _ body: (ChatWorld) async throws -> T
    ) async throws -> T {
        let simulator = TelegramSimulator(configuration: .init(rateLimits: limits, webhookRetryDelay: .milliseconds(50)),
                                          logger: quietLogger)
        _ = try await simulator.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chat-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let world = ChatWorld(mode: mode, simulator: simulator, clock: clock, configuration: configuration,
                              path: directory.appendingPathComponent("newsbot.sqlite").path)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try await world.start()
            let result = try await body(world)
            await world.stop()
            await simulator.stop()
            return result
        } catch {
            await world.stop()
            await simulator.stop()
            throw error
        }
    }

    var embedded: SQLiteEmbedded { running.withLock { $0!.embedded } }
    var router: UpdateRouter { running.withLock { $0!.router } }
    var store: any SubscriberStore { embedded.subscribers }

    /// Opens the database and starts the chat front in this world's mode.
    func start() async throws {
        let embedded = try await SQLiteEmbedded.open(url: "sqlite:" + path, clock: clock)
        let router = UpdateRouter(
            configuration: configuration, telegram: telegram, store: embedded.subscribers, queue: embedded.jobs,
            states: embedded.conversations, limiter: MemoryRateLimiter(), clock: clock,
            logger: Self.quietLogger)
        let task: Task<Void, any Error>
        switch mode {
        case .polling:
            let poller = LongPoller(configuration: .init(timeout: 1, baseBackoff: .milliseconds(20)), router: router,
                                    telegram: telegram, states: embedded.conversations, logger: Self.quietLogger)
            task = Task { try await poller.run() }
        case .webhook:
            let server = try await WebhookTestServer.start(route: WebhookRoute(router: router, secret: secret, logger: Self.quietLogger))
            task = server.task
            try await WebhookRegistration.register(url: server.url, secret: secret, telegram: telegram)
        }
        running.withLock { $0 = Running(embedded: embedded, router: router, task: task) }
    }

    /// Stops the chat front and closes its database handle.
    func stop() async {
        guard let current = running.withLock({ stored in defer { stored = nil }; return stored }) else { return }
        current.task.cancel()
        _ = await current.task.result
        await current.embedded.database.close()
    }

    func restart() async throws {
        await stop()
        try await start()
    }

    // MARK: talking to the bot

    /// Sends `text` as `user` and returns the bot's new messages in that chat.
    @discardableResult
    func send(_ text: String?, as user: User) async throws -> [SimulatedMessage] {
        try await deliver(TestUpdates.message(text, from: user), chatID: user.id)
    }

    /// Presses the button with `data` under `message`; returns the callback answer and the new messages.
    func press(_ data: String?, on message: SimulatedMessage?, as user: User) async throws
        -> (answer: SimulatedCallbackAnswer?, replies: [SimulatedMessage]) {
        let update = TestUpdates.callback(data ?? "", on: message, from: user)
        let replies = try await deliver(update, chatID: user.id)
        let id = update.callbackQuery!.id
        return (simulator.callbackAnswers().first { $0.callbackQueryID == id }, replies)
    }

    /// Injects an update, waits until the bot has taken it, returns the new messages of `chatID`.
    @discardableResult
    func deliver(_ update: Update, chatID: Int64) async throws -> [SimulatedMessage] {
        let before = simulator.messages(chatID: chatID).count
        try simulator.injectUpdate(update)
        try await waitUntilTaken()
        return Array(simulator.messages(chatID: chatID).dropFirst(before))
    }

    /// Waits until the simulator has no update left to hand out: the webhook answered 2xx, or
    /// the poller confirmed it with its next offset (after applying and storing it).
    func waitUntilTaken(timeout: Duration = .seconds(15)) async throws {
        let deadline = ContinuousClock.now + timeout
        while simulator.webhookInfo().pendingUpdateCount > 0 {
            guard ContinuousClock.now < deadline else { throw WorldTimeout(what: "updates still pending") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The chat's stored conversation.
    func conversation(_ chatID: Int64) async throws -> ConversationState? {
        try await embedded.conversations.load(chatID: chatID)?.state
    }

    func subscriber(_ id: Int64) async throws -> Subscriber? {
        try await store.subscriber(id: id)
    }
}
