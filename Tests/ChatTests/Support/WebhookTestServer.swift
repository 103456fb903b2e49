import Chat
import Hummingbird
import Logging

/// The webhook route on a real HTTP server on a free port, as `newsbot bot --webhook` serves it
/// (with its event-loop fast path).
struct WebhookTestServer: Sendable {
    let url: String
    let task: Task<Void, any Error>

    static func start(route: WebhookRoute) async throws -> WebhookTestServer {
        let router = Router()
        route.register(on: router)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "chat-tests.webhook")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            server: route.server(),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.run() }
        for await port in ports {
            return WebhookTestServer(url: "http://127.0.0.1:\(port)/telegram/webhook", task: task)
        }
        task.cancel()
        throw CancellationError()
    }
}
