import Core
import Foundation
import Logging
import ServiceLifecycle

/// The slot clock (`newsbot scheduler`): every minute, under a leader lease, fires the slot runs
/// whose local time has come in some time zone.
///
/// For each (time zone, slot) held by active subscribers and each recent local date, the slot is
/// due at `LocalDate.instant(at:in:)`: in a skipped (spring-forward) hour that is the first valid
/// minute after it, in a repeated (fall-back) hour the first occurrence. Each (zone, slot, local
/// date) fires once — marked in the shared store, so restarts and leader changes do not repeat it
/// (and a repeat would only resume the run anyway). A slot missed by up to `graceWindow`
/// (downtime) fires late, once; an older one is skipped, and logged when it fell due after the
/// last tick any scheduler made (so a first start does not report yesterday's slots as missed). Zones firing in the same tick
/// for the same (slot, date) share one trigger.
public final class Scheduler: Service, Sendable {
    public let configuration: Configuration
    let store: any SubscriberStore
    let leaderLock: any LeaderLock
    let coordinator: SlotRunCoordinator
    let clock: any NewsbotClock
    let logger: Logger
    let marks: FiredSlotMarks

    /// - Parameter marks: where fired slots are remembered; the news cache port is used as the
    ///   durable key-value store with TTLs that it is (SQLite embedded, Redis scaled out).
    public init(configuration: Configuration = .init(), store: any SubscriberStore, leaderLock: any LeaderLock,
                marks: any NewsCache, coordinator: SlotRunCoordinator, clock: any NewsbotClock = SystemClock(),
                logger: Logger = Logger(label: "newsbot.scheduler")) {
        self.configuration = configuration
        self.store = store
        self.leaderLock = leaderLock
        self.coordinator = coordinator
        self.clock = clock
        self.logger = logger
        self.marks = FiredSlotMarks(store: marks, ttl: configuration.firedTTL)
    }

    /// Ticks at every minute boundary until graceful shutdown, then gives up the lease.
    public func run() async throws {
        logger.info("scheduler: started", metadata: ["newsbot.scheduler.owner": "\(configuration.owner)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                _ = try await tick()
            } catch is CancellationError {
                break
            } catch {
                logger.error("scheduler: tick failed", metadata: ["error": "\(Redaction.redact(String(describing: error)))"])
            }
            let wait = untilNextTick(after: clock.now())
            let clock = self.clock
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: wait) }
            } catch {
                break
            }
        }
        try? await leaderLock.release(configuration.lockName, owner: configuration.owner)
        logger.info("scheduler: stopped")
    }

    /// The time to the next multiple of `tickInterval` (so ticks land on minute boundaries).
    func untilNextTick(after now: Date) -> Duration {
        let interval = max(configuration.tickInterval.timeInterval, 1)
        let seconds = now.timeIntervalSince1970
        let next = (seconds / interval).rounded(.down) * interval + interval
        return .milliseconds(Int64(((next - seconds) * 1000).rounded(.up)))
    }

    /// One pass: take or renew the lease, then fire what is due. Public so tests and
    /// `newsbot scheduler --once` can drive it with a manual clock.
    @discardableResult
    public func tick() async throws -> SchedulerTick {
        guard try await leaderLock.acquire(configuration.lockName, owner: configuration.owner, lease: configuration.lease) else {
            return SchedulerTick(isLeader: false)
        }
        let now = clock.now()
        let grace = configuration.graceWindow.timeInterval
        let lastTick = try await marks.lastTick(pipeline: configuration.pipeline)
        var due: [SlotRunKey: (zones: [String], marks: [String], dueAt: Date)] = [:]
        var result = SchedulerTick(isLeader: true)
        for entry in try await store.scheduleEntries() {
            let zone = TimeZoneName.resolve(entry.timeZone) ?? TimeZone(identifier: "UTC")!
            let today = LocalDate(now, in: zone)
            var date = LocalDate(now.addingTimeInterval(-grace - 86400), in: zone)
            while date <= today {
                defer { date = date.next }
                let dueAt = date.instant(at: entry.slot, in: zone)
                // Not due yet, or so old (before the last day) that it is not worth a log line.
                guard dueAt <= now, now.timeIntervalSince(dueAt) <= grace + 86400 else { continue }
                let key = FiredSlotMarks.key(pipeline: configuration.pipeline, timeZone: entry.timeZone, slot: entry.slot, date: date)
                guard try await marks.state(key, date: date) == nil else { continue }
                let run = SlotRunKey(pipeline: configuration.pipeline, slot: entry.slot, date: date)
                if now.timeIntervalSince(dueAt) > grace {
                    marks.markExpired(key, date: date)
                    guard let lastTick, dueAt > lastTick else { continue }
                    result.expired.append(SchedulerFiring(run: run, timeZones: [entry.timeZone], dueAt: dueAt))
                    logger.warning("scheduler: slot missed beyond the grace window, skipped", metadata: [
                        "newsbot.run": "\(run)", "newsbot.scheduler.time_zone": "\(entry.timeZone)",
                        "newsbot.scheduler.due_at": "\(dueAt)",
                    ])
                    continue
                }
                due[run, default: ([], [], dueAt)].zones.append(entry.timeZone)
                due[run]!.marks.append(key)
                due[run]!.dueAt = min(due[run]!.dueAt, dueAt)
            }
        }
        for (run, group) in due.sorted(by: { $0.key < $1.key }) {
            let zones = Set(group.zones)
            do {
                switch configuration.action {
                case .enqueue: try await coordinator.enqueueTrigger(run, timeZones: zones)
                case .trigger: try await coordinator.trigger(run, timeZones: zones)
                }
            } catch {
                // Not marked: the next tick tries again while the grace window lasts.
                logger.error("scheduler: trigger failed", metadata: [
                    "newsbot.run": "\(run)", "error": "\(Redaction.redact(String(describing: error)))",
                ])
                continue
            }
            for key in group.marks { try await marks.markFired(key, date: run.date) }
            let firing = SchedulerFiring(run: run, timeZones: zones.sorted(), dueAt: group.dueAt)
            result.fired.append(firing)
            logger.info("scheduler: slot fired", metadata: [
                "newsbot.run": "\(run)", "newsbot.scheduler.time_zones": "\(firing.timeZones.joined(separator: ","))",
                "newsbot.scheduler.late_seconds": "\(Int(now.timeIntervalSince(group.dueAt)))",
            ])
        }
        try await marks.setLastTick(now, pipeline: configuration.pipeline)
        marks.prune(before: LocalDate(now.addingTimeInterval(-grace - 3 * 86400), in: TimeZone(identifier: "UTC")!))
        return result
    }
}
