import Core
import Foundation
import Testing

@Suite("ManualClock")
struct ManualClockTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// Waits (really) until `count` tasks sleep on the clock.
    private func waitForSleepers(_ clock: ManualClock, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while clock.sleeperCount < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("expected \(count) sleepers, have \(clock.sleeperCount)")
                return
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test func timeMovesOnlyWhenTold() {
        let clock = ManualClock(now: start)
        #expect(clock.now() == start)
        clock.advance(by: .milliseconds(1500))
        #expect(clock.now() == start.addingTimeInterval(1.5))
        clock.set(start.addingTimeInterval(10))
        #expect(clock.now() == start.addingTimeInterval(10))
        clock.set(start)
        #expect(clock.now() == start.addingTimeInterval(10), "set never moves backwards")
    }

    @Test func sleepersWakeWhenTheirDeadlinePasses() async throws {
        let clock = ManualClock(now: start)
        let short = Task { try await clock.sleep(for: .seconds(5)); return clock.now() }
        let long = Task { try await clock.sleep(for: .seconds(10)); return clock.now() }
        try await waitForSleepers(clock, 2)
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .seconds(1))
        #expect(clock.sleeperCount == 1)
        #expect(try await short.value == start.addingTimeInterval(5))
        clock.set(start.addingTimeInterval(30))
        #expect(clock.sleeperCount == 0)
        #expect(try await long.value == start.addingTimeInterval(30))
    }

    @Test func sleepingForNothingReturnsAtOnce() async throws {
        let clock = ManualClock(now: start)
        try await clock.sleep(for: .zero)
        try await clock.sleep(for: .seconds(-1))
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingASleeperThrowsAndRemovesIt() async throws {
        let clock = ManualClock(now: start)
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await waitForSleepers(clock, 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func durationConvertsToSeconds() {
        #expect(Duration.milliseconds(1500).timeInterval == 1.5)
        #expect(Duration.seconds(-2).timeInterval == -2)
        #expect(Duration.zero.timeInterval == 0)
    }
}
