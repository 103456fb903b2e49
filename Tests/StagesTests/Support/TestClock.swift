import Foundation
import Synchronization
import Core

/// A clock whose time only moves when a test says so, but whose sleeps are real (short), so
/// pollers make progress while "now" stays inside one cache period.
final class TestClock: NewsbotClock {
    private let current: Mutex<Date>

    init(_ now: Date) { current = Mutex(now) }

    func now() -> Date { current.withLock { $0 } }

    func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.timeInterval) }
    }
}
