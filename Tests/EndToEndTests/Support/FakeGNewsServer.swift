import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local stand-in for GNews v4 `/api/v4/search`: answers each (lang, q) with the fixture
/// batch's `news/gnews/LANG/Q.json`, or an empty result; counts the calls it gets.
final class FakeGNewsServer: Sendable {
    private let newsDirectory: URL
    private let calls = Mutex<[String: Int]>([:])
    private let port = Mutex<Int?>(nil)

    init(newsDirectory: URL) {
        self.newsDirectory = newsDirectory
    }

    var callsByQuery: [String: Int] { calls.withLock { $0 } }
    var baseURL: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)" }

    /// Serves until the task running it is cancelled.
    func run(ready: @escaping @Sendable () -> Void) async throws {
        let router = Router()
        router.get("/api/v4/search") { [self] request, _ -> Response in
            let query = request.uri.queryParameters
            let q = String(query["q"] ?? "").lowercased()
            let lang = String(query["lang"] ?? "en")
            calls.withLock { $0["\(lang):\(q)", default: 0] += 1 }
            let file = newsDirectory.appendingPathComponent("gnews/\(lang)/\(q).json")
            let body = (try? Data(contentsOf: file)) ?? Data(#"{"totalArticles":0,"articles":[]}"#.utf8)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        var logger = Logger(label: "fake-gnews")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { [self] channel in
                                  port.withLock { $0 = channel.localAddress?.port }
                                  ready()
                              }, logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }
}
