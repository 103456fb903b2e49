import Core
import Foundation
import Logging
@testable import Pipeline

/// One shared world (store, queue, lock, fired marks, manual clock) in which schedulers tick
/// minute by minute, recording when each run fired.
final class SchedulerHarness: Sendable {
    let clock: ManualClock
    let store = MemorySubscriberStore()
    let queue: MemoryJobQueue
    let lock: MemoryLeaderLock
    let marks: MemoryNewsCache
    let coordinator: SlotRunCoordinator

    init(start: String) {
        clock = ManualClock(now: Self.instant(start))
        queue = MemoryJobQueue(clock: clock)
        lock = MemoryLeaderLock(clock: clock)
        marks = MemoryNewsCache(clock: clock)
        coordinator = SlotRunCoordinator(store: store, queue: queue, clock: clock)
    }

    func scheduler(owner: String = "a", grace: Duration = .seconds(7200)) -> Scheduler {
        Scheduler(configuration: .init(action: .trigger, graceWindow: grace, owner: owner),
                  store: store, leaderLock: lock, marks: marks, coordinator: coordinator, clock: clock,
                  logger: Logger(label: "test.scheduler"))
    }

    /// Adds one active subscriber per (zone, slot), ids from `firstID`.
    func subscribe(_ entries: [(zone: String, slot: String)], firstID: Int64 = 1) async throws {
        let subscribers = entries.enumerated().map { index, entry in
            Subscriber(id: firstID + Int64(index), chatID: firstID + Int64(index), timeZone: entry.zone,
                       slots: [Slot(entry.slot)!], topics: [Topic("ai")!])
        }
        try await store.upsert(subscribers)
    }

    struct Fired: Hashable, CustomStringConvertible {
        var at: String
        var run: String
        var zones: [String]
        var owner: String
        var description: String { "\(at) \(run) \(zones) by \(owner)" }
    }

    /// Ticks every scheduler at every minute from now through `end` (inclusive).
    func tickEveryMinute(through end: String, _ schedulers: [(owner: String, scheduler: Scheduler)])
        async throws -> (fired: [Fired], expired: [SchedulerFiring]) {
        var fired: [Fired] = []
        var expired: [SchedulerFiring] = []
        let last = Self.instant(end)
        while clock.now() <= last {
            for (owner, scheduler) in schedulers {
                let tick = try await scheduler.tick()
                fired += tick.fired.map { Fired(at: Self.format(clock.now()), run: "\($0.run)", zones: $0.timeZones, owner: owner) }
                expired += tick.expired
            }
            clock.advance(by: .seconds(60))
        }
        return (fired, expired)
    }

    static func instant(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
