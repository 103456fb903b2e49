import Logging
import Testing
import Telegram
import TelegramSim

/// Runs a simulator on a free port for the duration of one test, with a client
/// pointed at it, and stops it afterwards whatever happens.
enum SimulatorHarness {
    static var quietLogger: Logger {
        var logger = Logger(label: "telegram-tests")
        logger.logLevel = .warning
        return logger
    }

    static func with<T>(
        _ configuration: TelegramSimulator.Configuration = TelegramSimulator.Configuration(),
        requestTimeout: Duration = .seconds(10),
        _ body: (TelegramSimulator, TelegramClient) async throws -> T
    ) async throws -> T {
        let simulator = TelegramSimulator(configuration: configuration, logger: quietLogger)
        _ = try await simulator.start()
        let client = TelegramClient(
            configuration: simulator.clientConfiguration(requestTimeout: requestTimeout), logger: quietLogger)
        do {
            let result = try await body(simulator, client)
            await simulator.stop()
            return result
        } catch {
            await simulator.stop()
            throw error
        }
    }

    /// The `TelegramError` a call throws, or nil when it succeeds or throws something else.
    static func error(_ body: () async throws -> some Any) async -> TelegramError? {
        do {
            _ = try await body()
            return nil
        } catch let error as TelegramError {
            return error
        } catch {
            return nil
        }
    }

    /// Runs `attempt` (numbered from 0, for a fresh chat each time) until one finishes within
    /// `limit` of wall time, at most five times. For tests whose expectation holds only when
    /// requests arrive within a rate window: a loaded machine can space them a window apart, and
    /// then being accepted is right. `attempt` returns its judgement, run only when it was quick
    /// enough; if no attempt was, that is recorded, so the test cannot pass without judging.
    static func withinWindow(_ limit: Duration, _ attempt: (Int) async throws -> () -> Void) async throws {
        for number in 0..<5 {
            let started = ContinuousClock.now
            let judge = try await attempt(number)
            if ContinuousClock.now - started < limit { return judge() }
        }
        Issue.record("no attempt finished within \(limit): the machine was too busy to judge")
    }

    /// Returns once a long poll is parked in the simulator (a loaded machine may take far
    /// longer than any fixed sleep to get the request there); fails after 10 s.
    static func waitForLongPoll(_ simulator: TelegramSimulator) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !simulator.isLongPollWaiting {
            guard ContinuousClock.now < deadline else {
                Issue.record("no long poll reached the simulator within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
