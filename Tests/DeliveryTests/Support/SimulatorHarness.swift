import AsyncHTTPClient
import Core
import Delivery
import Telegram
import TelegramSim

/// A running `TelegramSimulator` and a `DeliveryHarness` whose worker talks to it over HTTP
/// through the real `TelegramClient`.
struct SimulatorHarness {
    let simulator: TelegramSimulator
    let delivery: DeliveryHarness

    /// Starts a simulator with `limits`, runs `body`, and stops the simulator.
    static func with<T>(
        limits: SimulatorRateLimits = .telegram, policy: DeliveryPolicy,
        _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        let simulator = TelegramSimulator(configuration: .init(port: 0, rateLimits: limits))
        _ = try await simulator.start()
        do {
            let client = TelegramClient(configuration: simulator.clientConfiguration(requestTimeout: .seconds(5)),
                                        httpClient: .shared)
            let result = try await body(SimulatorHarness(simulator: simulator,
                                                         delivery: DeliveryHarness(telegram: client, policy: policy)))
            await simulator.stop()
            return result
        } catch {
            await simulator.stop()
            throw error
        }
    }
}
