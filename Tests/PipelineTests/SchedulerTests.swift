import Core
import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
@testable import Pipeline

@Suite("Scheduler")
struct SchedulerTests {
    typealias Fired = SchedulerHarness.Fired

    @Test func firesEachZoneOnceAtItsLocalTimeAndGroupsZonesDueTogether() async throws {
        let world = SchedulerHarness(start: "2026-11-25T22:00:00Z")
        try await world.subscribe([
            ("Asia/Tokyo", "08:00"), ("Asia/Tokyo", "19:30"), ("Asia/Kolkata", "08:00"), ("Europe/Moscow", "08:00"),
            ("UTC+03:00", "08:00"), ("Europe/Berlin", "08:00"), ("America/New_York", "08:00"),
        ])
        let (fired, expired) = try await world.tickEveryMinute(through: "2026-11-26T14:00:00Z", [("a", world.scheduler())])
        #expect(fired == [
            Fired(at: "2026-11-25T23:00:00Z", run: "daily/08:00/2026-11-26", zones: ["Asia/Tokyo"], owner: "a"),
            Fired(at: "2026-11-26T02:30:00Z", run: "daily/08:00/2026-11-26", zones: ["Asia/Kolkata"], owner: "a"),
            Fired(at: "2026-11-26T05:00:00Z", run: "daily/08:00/2026-11-26", zones: ["Europe/Moscow", "UTC+03:00"], owner: "a"),
            Fired(at: "2026-11-26T07:00:00Z", run: "daily/08:00/2026-11-26", zones: ["Europe/Berlin"], owner: "a"),
            Fired(at: "2026-11-26T10:30:00Z", run: "daily/19:30/2026-11-26", zones: ["Asia/Tokyo"], owner: "a"),
            Fired(at: "2026-11-26T13:00:00Z", run: "daily/08:00/2026-11-26", zones: ["America/New_York"], owner: "a"),
        ])
        // A first start reports no "missed" slots: nothing was scheduled before it.
        #expect(expired.isEmpty)
        // Each firing really triggered: the 08:00 run holds every 08:00 user, all pending.
        let run = try #require(try await world.store.run(SlotRunKey("daily/08:00/2026-11-26")!))
        #expect(run.counts.usersDue == 6)
        #expect(run.counts.usersPending == 6)
    }

    @Test func springForwardSlotInTheSkippedHourFiresOnceAtTheNextValidMinute() async throws {
        // Europe/Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z); 02:00–02:59 never happen.
        let world = SchedulerHarness(start: "2026-03-28T20:00:00Z")
        try await world.subscribe([("Europe/Berlin", "02:30"), ("Europe/Berlin", "01:59"), ("Europe/Berlin", "03:15")])
        let (fired, _) = try await world.tickEveryMinute(through: "2026-03-29T06:00:00Z", [("a", world.scheduler())])
        #expect(fired == [
            Fired(at: "2026-03-29T00:59:00Z", run: "daily/01:59/2026-03-29", zones: ["Europe/Berlin"], owner: "a"),
            Fired(at: "2026-03-29T01:00:00Z", run: "daily/02:30/2026-03-29", zones: ["Europe/Berlin"], owner: "a"),
            Fired(at: "2026-03-29T01:15:00Z", run: "daily/03:15/2026-03-29", zones: ["Europe/Berlin"], owner: "a"),
        ])
    }

    @Test func fallBackSlotInTheRepeatedHourFiresOnceAtItsFirstOccurrence() async throws {
        // Europe/Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00Z); 02:30 happens twice.
        let world = SchedulerHarness(start: "2026-10-24T20:00:00Z")
        try await world.subscribe([("Europe/Berlin", "02:30"), ("Europe/Berlin", "03:30")])
        let (fired, _) = try await world.tickEveryMinute(through: "2026-10-25T06:00:00Z", [("a", world.scheduler())])
        #expect(fired == [
            Fired(at: "2026-10-25T00:30:00Z", run: "daily/02:30/2026-10-25", zones: ["Europe/Berlin"], owner: "a"),
            Fired(at: "2026-10-25T02:30:00Z", run: "daily/03:30/2026-10-25", zones: ["Europe/Berlin"], owner: "a"),
        ])
    }

    @Test func southernHemisphereTransitionsInAprilAndOctober() async throws {
        // Australia/Sydney: 2026-04-05 03:00 AEDT falls back to 02:00 AEST (16:00Z on 04-04);
        // 2026-10-04 02:00 AEST springs forward to 03:00 AEDT (16:00Z on 10-03).
        let april = SchedulerHarness(start: "2026-04-04T10:00:00Z")
        try await april.subscribe([("Australia/Sydney", "02:30")])
        let autumn = try await april.tickEveryMinute(through: "2026-04-04T20:00:00Z", [("a", april.scheduler())])
        #expect(autumn.fired == [
            Fired(at: "2026-04-04T15:30:00Z", run: "daily/02:30/2026-04-05", zones: ["Australia/Sydney"], owner: "a"),
        ])

        let october = SchedulerHarness(start: "2026-10-03T10:00:00Z")
        try await october.subscribe([("Australia/Sydney", "02:30")])
        let spring = try await october.tickEveryMinute(through: "2026-10-03T20:00:00Z", [("a", october.scheduler())])
        #expect(spring.fired == [
            Fired(at: "2026-10-03T16:00:00Z", run: "daily/02:30/2026-10-04", zones: ["Australia/Sydney"], owner: "a"),
        ])
    }

    @Test func slotsMissedDuringDowntimeAreCaughtUpOnceWithinTheGraceWindow() async throws {
        let world = SchedulerHarness(start: "2026-11-26T05:00:00Z")
        try await world.subscribe([("Europe/Berlin", "08:00"), ("Europe/London", "07:30"), ("Europe/Berlin", "06:30")])
        // Up until 06:59Z, then down until 08:45Z (Berlin 07:00–09:45).
        let before = try await world.tickEveryMinute(through: "2026-11-26T05:59:00Z", [("a", world.scheduler())])
        #expect(before.fired.map(\.run) == ["daily/06:30/2026-11-26"])
        world.clock.set(SchedulerHarness.instant("2026-11-26T08:45:00Z"))
        let after = try await world.tickEveryMinute(through: "2026-11-26T12:00:00Z", [("a", world.scheduler())])
        // Berlin 08:00 (07:00Z) and London 07:30 (07:30Z) were missed: both fire at the first tick back.
        #expect(after.fired == [
            Fired(at: "2026-11-26T08:45:00Z", run: "daily/07:30/2026-11-26", zones: ["Europe/London"], owner: "a"),
            Fired(at: "2026-11-26T08:45:00Z", run: "daily/08:00/2026-11-26", zones: ["Europe/Berlin"], owner: "a"),
        ])
        #expect(after.expired.isEmpty)
    }

    @Test func slotsMissedBeyondTheGraceWindowAreSkippedAndReported() async throws {
        let world = SchedulerHarness(start: "2026-11-26T05:00:00Z")
        try await world.subscribe([("Europe/Berlin", "08:00"), ("Europe/Berlin", "10:00")])
        _ = try await world.tickEveryMinute(through: "2026-11-26T06:00:00Z", [("a", world.scheduler())])
        // Down from 06:01Z to 09:30Z: 08:00 Berlin (07:00Z) is 2.5 h late, past the 2 h grace.
        world.clock.set(SchedulerHarness.instant("2026-11-26T09:30:00Z"))
        let after = try await world.tickEveryMinute(through: "2026-11-26T12:00:00Z", [("a", world.scheduler())])
        #expect(after.fired.map(\.run) == ["daily/10:00/2026-11-26"])
        #expect(after.fired.first?.at == "2026-11-26T09:30:00Z", "10:00 Berlin is 09:00Z: 30 minutes late, caught up")
        #expect(after.expired.map { "\($0.run)" } == ["daily/08:00/2026-11-26"], "reported once, not every minute")
        #expect(try await world.store.run(SlotRunKey("daily/08:00/2026-11-26")!) == nil)
    }

    @Test func aShorterGraceWindowIsHonoured() async throws {
        let world = SchedulerHarness(start: "2026-11-26T06:00:00Z")
        try await world.subscribe([("UTC", "06:30")])
        _ = try await world.tickEveryMinute(through: "2026-11-26T06:10:00Z", [("a", world.scheduler(grace: .seconds(600)))])
        world.clock.set(SchedulerHarness.instant("2026-11-26T06:45:00Z"))
        let after = try await world.tickEveryMinute(through: "2026-11-26T07:00:00Z", [("a", world.scheduler(grace: .seconds(600)))])
        #expect(after.fired.isEmpty)
        #expect(after.expired.count == 1)
    }

    @Test func twoSchedulersOneLeaderAndTheFollowerTakesOverWhenTheLeaderDies() async throws {
        let world = SchedulerHarness(start: "2026-11-26T05:00:00Z")
        try await world.subscribe([("Europe/Berlin", "07:00"), ("Europe/Berlin", "08:00"), ("Europe/Berlin", "08:02")])
        let a = world.scheduler(owner: "a"), b = world.scheduler(owner: "b")
        let both = try await world.tickEveryMinute(through: "2026-11-26T06:30:00Z", [("a", a), ("b", b)])
        #expect(both.fired == [Fired(at: "2026-11-26T06:00:00Z", run: "daily/07:00/2026-11-26", zones: ["Europe/Berlin"], owner: "a")])
        // a dies at 06:59Z (its lease of 3 minutes runs out at 07:02Z); b keeps ticking.
        _ = try await world.tickEveryMinute(through: "2026-11-26T06:59:00Z", [("a", a), ("b", b)])
        let onlyB = try await world.tickEveryMinute(through: "2026-11-26T08:00:00Z", [("b", b)])
        #expect(onlyB.fired == [
            Fired(at: "2026-11-26T07:02:00Z", run: "daily/08:00/2026-11-26", zones: ["Europe/Berlin"], owner: "b"),
            Fired(at: "2026-11-26T07:02:00Z", run: "daily/08:02/2026-11-26", zones: ["Europe/Berlin"], owner: "b"),
        ])
    }

    @Test func aRestartedSchedulerDoesNotFireAgain() async throws {
        let world = SchedulerHarness(start: "2026-11-26T06:50:00Z")
        try await world.subscribe([("Europe/Berlin", "08:00")])
        let first = try await world.tickEveryMinute(through: "2026-11-26T07:10:00Z", [("a", world.scheduler(owner: "a"))])
        #expect(first.fired.count == 1)
        try await world.lock.release("newsbot.scheduler", owner: "a")
        let second = try await world.tickEveryMinute(through: "2026-11-26T08:00:00Z", [("c", world.scheduler(owner: "c"))])
        #expect(second.fired.isEmpty)
    }

    @Test func runsAsAServiceTickingOnMinuteBoundariesUntilGracefulShutdown() async throws {
        let world = SchedulerHarness(start: "2026-11-26T06:58:30Z")
        try await world.subscribe([("Europe/Berlin", "08:00")])
        let scheduler = world.scheduler(owner: "svc")
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                // Let it tick at 06:58:30, then move through 07:00 one boundary at a time.
                for _ in 0..<3 {
                    try await waitUntil { world.clock.sleeperCount == 1 }
                    world.clock.advance(by: .seconds(60))
                }
                try await waitUntil { world.clock.sleeperCount == 1 }
                #expect(try await world.store.run(SlotRunKey("daily/08:00/2026-11-26")!) != nil)
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // The lease was given up: another scheduler becomes leader at once.
        #expect(try await world.lock.acquire("newsbot.scheduler", owner: "other", lease: .seconds(60)))
    }

    @Test func waitsUntilTheNextMinuteBoundary() {
        let world = SchedulerHarness(start: "2026-11-26T06:58:30Z")
        let scheduler = world.scheduler()
        #expect(scheduler.untilNextTick(after: SchedulerHarness.instant("2026-11-26T06:58:30Z")) == .seconds(30))
        #expect(scheduler.untilNextTick(after: SchedulerHarness.instant("2026-11-26T06:59:00Z")) == .seconds(60))
    }
}

/// Polls `condition` (real time) for up to 30 s: a hang guard, not a speed bound (a starved
/// machine took over 5 s for what takes 0.4 s alone).
func waitUntil(_ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while !(try await condition()) {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 30 s")
            return
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}
