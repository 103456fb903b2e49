import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Prometheus

/// The HTTP side every long-running role exposes: `GET /healthz` (alive), `GET /readyz` (every
/// backend reachable, else 503 naming the failing one) and `GET /metrics` (Prometheus text).
/// The chat front adds `POST /telegram/webhook` to the same router.
enum OperationsServer {
    static func router(readiness: [ReadinessCheck], metrics: PrometheusCollectorRegistry) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            var failures: [String] = []
            for check in readiness {
                do { try await check.check() } catch { failures.append("\(check.name): unreachable") }
            }
            let body = failures.isEmpty ? "ready\n" : failures.joined(separator: "\n") + "\n"
            return Response(status: failures.isEmpty ? .ok : .serviceUnavailable,
                            headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        return router
    }

    /// - Parameters:
    ///   - server: the HTTP server, e.g. the webhook's `WebhookRoute.server()` with its fast path.
    ///   - onListening: called with the bound port once the server listens (port 0 picks a free one).
    static func application(router: Router<BasicRequestContext>, host: String, port: Int, logger: Logger,
                            server: HTTPServerBuilder = .http1(),
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router, server: server,
                    configuration: .init(address: .hostname(host, port: port), serverName: "newsbot"),
                    onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
                    logger: logger)
    }
}
