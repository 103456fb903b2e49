/// What one scheduler tick did.
public struct SchedulerTick: Sendable, Hashable {
    /// Whether this scheduler held the leader lease; a follower does nothing else.
    public var isLeader: Bool
    /// Runs triggered in this tick (on time, or caught up within the grace window).
    public var fired: [SchedulerFiring]
    /// Slots missed for longer than the grace window: skipped, logged once.
    public var expired: [SchedulerFiring]

    public init(isLeader: Bool, fired: [SchedulerFiring] = [], expired: [SchedulerFiring] = []) {
        self.isLeader = isLeader
        self.fired = fired
        self.expired = expired
    }
}
