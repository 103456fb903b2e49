import Logging
import ServiceLifecycle
import UnixSignals

/// Runs long-lived services in one `ServiceGroup` until SIGTERM or SIGINT, then shuts them down
/// gracefully in reverse order — so list clients (database pools) before the services using them.
enum ServiceRunner {
    static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger))
        try await group.run()
    }
}
