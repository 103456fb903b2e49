import Core
import Foundation

/// Real time shifted to start at a chosen instant: the demo fetches and ranks a fixture batch
/// "as of" the batch's `now` while sleeps and timeouts stay real.
struct OffsetClock: NewsbotClock {
    private let offset: TimeInterval

    init(startingAt start: Date) {
        self.offset = start.timeIntervalSinceNow
    }

    func now() -> Date { Date().addingTimeInterval(offset) }

    func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}
