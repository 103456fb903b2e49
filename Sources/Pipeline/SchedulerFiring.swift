import Core
import Foundation

/// One slot run the scheduler fired (or let go) in a tick, for the time zones whose local time
/// reached the slot on that local date.
public struct SchedulerFiring: Sendable, Hashable {
    public var run: SlotRunKey
    /// Sorted zone names, as subscribers store them.
    public var timeZones: [String]
    /// The instant the slot was due (the earliest, when several zones share the firing).
    public var dueAt: Date

    public init(run: SlotRunKey, timeZones: [String], dueAt: Date) {
        self.run = run
        self.timeZones = timeZones
        self.dueAt = dueAt
    }
}
