import Core

/// What one `SlotRunCoordinator.trigger` did: enough for `pipeline run` to say whether it
/// started a run or resumed one, and for tests to check idempotency.
public struct TriggerReport: Sendable, Hashable {
    public var run: SlotRunKey
    /// True when this trigger created the run; false when it resumed an existing one.
    public var created: Bool
    /// Due users matched by this trigger (its time-zone filter applied).
    public var usersDue: Int
    /// Of those, users not in the run before.
    public var usersAdded: Int
    public var fetchJobs: Int
    public var renderJobs: Int
    /// Messages re-enqueued for delivery because they were stored but not delivered yet.
    public var deliveryJobs: Int

    public init(run: SlotRunKey, created: Bool, usersDue: Int = 0, usersAdded: Int = 0,
                fetchJobs: Int = 0, renderJobs: Int = 0, deliveryJobs: Int = 0) {
        self.run = run
        self.created = created
        self.usersDue = usersDue
        self.usersAdded = usersAdded
        self.fetchJobs = fetchJobs
        self.renderJobs = renderJobs
        self.deliveryJobs = deliveryJobs
    }
}
