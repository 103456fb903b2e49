import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local web server for `sources check URL`: `/feed.xml` serves a fixture feed, `/page` an
/// HTML page, `/slow` answers only after a minute (a hung server), anything else is 404.
final class FeedServer: Sendable {
    private let feed: Data
    private let port = Mutex<Int?>(nil)

    init(feed: Data) {
        self.feed = feed
    }

    var baseURL: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)" }

    /// Serves until the task running it is cancelled.
    func run() async throws {
        let router = Router()
        router.get("/feed.xml") { [feed] _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/rss+xml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: feed)))
        }
        router.get("/page") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html"],
                     body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body>Not a feed</body></html>")))
        }
        router.get("/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(60))
            return Response(status: .ok)
        }
        var logger = Logger(label: "feed-server")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { [self] channel in port.withLock { $0 = channel.localAddress?.port } },
                              logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    /// Waits until the server listens (bounded).
    func waitUntilListening() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while port.withLock({ $0 }) == nil {
            guard ContinuousClock.now < deadline else { throw NewsbotBinaryError(message: "feed server did not start") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
