import Core
import Foundation
import Synchronization
import Testing

/// What one contract test run gets besides the port: a manual clock, a unique namespace for
/// real servers, and teardown actions.
///
/// Implementations that read time from the injected clock see `advance` at once; those whose
/// server keeps time (Redis TTLs, broker delays) get a real sleep of the same length, so every
/// test is written once with short durations and holds for both.
final class ContractEnvironment: Sendable {
    /// Starts at a fixed instant so stored dates compare exactly.
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
    /// Unique per test: key prefix, schema, queue-name suffix or file name for backends that share
    /// a server (or a directory) between tests.
    let namespace = "contract-" + UUID().uuidString.lowercased()
    let realTime: Bool
    private let teardowns = Mutex<[@Sendable () async -> Void]>([])
    private let directory = Mutex<URL?>(nil)

    init(realTime: Bool) {
        self.realTime = realTime
    }

    var now: Date { clock.now() }

    /// Moves time forward for the implementation under test.
    func advance(by duration: Duration) async throws {
        clock.advance(by: duration)
        if realTime { try await Task.sleep(for: duration) }
    }

    /// False when a real-time backend took `limit` or longer since `start`: an expectation that
    /// something has not expired yet cannot be judged then (a loaded machine stretches sleeps and
    /// round trips). Always true on the injected clock.
    func kept(_ start: ContinuousClock.Instant, under limit: Duration) -> Bool {
        !realTime || ContinuousClock.now - start < limit
    }

    /// Runs `attempt` (numbered from 0, for fresh keys) until one returns true, at most `limit`
    /// times. An attempt returns false, having judged nothing, when `kept` says its timing did
    /// not hold; if none held, that is recorded, so the test cannot pass without judging.
    func untilTimingHolds(limit: Int = 3, _ attempt: (Int) async throws -> Bool) async throws {
        for number in 0..<limit where try await attempt(number) { return }
        Issue.record("no attempt kept its timing within \(limit) tries: the machine was too busy to judge")
    }

    /// Runs after the test, last registered first.
    func onTeardown(_ action: @escaping @Sendable () async -> Void) {
        teardowns.withLock { $0.append(action) }
    }

    func tearDown() async {
        let actions = teardowns.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
        for action in actions.reversed() { await action() }
    }

    /// A fresh temporary directory for this test, removed at teardown.
    func temporaryDirectory() throws -> URL {
        try directory.withLock { existing in
            if let existing { return existing }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(namespace, isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            existing = url
            onTeardown { try? FileManager.default.removeItem(at: url) }
            return url
        }
    }
}
