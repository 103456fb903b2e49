import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A tiny webhook endpoint for tests: records each body with its secret-token header,
/// and can answer 500 to the first N calls to exercise the simulator's retries.
final class WebhookReceiver: Sendable {
    private let received = Mutex<[(body: String, secret: String?)]>([])
    private let failuresLeft: Mutex<Int>
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(failFirst: Int = 0) {
        self.failuresLeft = Mutex(failFirst)
    }

    var calls: [(body: String, secret: String?)] { received.withLock { $0 } }

    /// Starts listening on a free port; returns the webhook URL.
    func start() async throws -> String {
        let router = Router()
        router.post("hook") { [self] request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let secret = request.headers[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!]
            let fail = failuresLeft.withLock { left in
                defer { left = max(left - 1, 0) }
                return left > 0
            }
            if fail { return Response(status: .internalServerError) }
            received.withLock { $0.append((String(buffer: body), secret)) }
            return Response(status: .ok)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        task.withLock { $0 = Task { try? await app.run() } }
        for await port in ports {
            return "http://127.0.0.1:\(port)/hook"
        }
        throw CancellationError()
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }

    /// Waits until `count` calls were recorded or `timeout` passed.
    func waitForCalls(_ count: Int, timeout: Duration = .seconds(5)) async -> [(body: String, secret: String?)] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let calls = self.calls
            if calls.count >= count { return calls }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return calls
    }
}
