import AsyncHTTPClient
import ServiceLifecycle

/// Runs the simulator's webhook deliveries next to the HTTP server, in the
/// application's service group, so both start and stop together.
struct WebhookPusherService: Service {
    let core: SimulatorCore

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await core.runWebhookPusher(httpClient: .shared)
        }
    }
}
