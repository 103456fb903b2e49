import Foundation

extension Scheduler {
    /// How the scheduler fires runs. Defaults suit one process per deployment.
    public struct Configuration: Sendable {
        /// How a due slot becomes a run.
        public enum Action: Sendable, Hashable {
            /// Put a trigger job on the queue for the workers' trigger stage (the default: the
            /// scheduler stays light, and a failed trigger is retried by the queue).
            case enqueue
            /// Trigger in this process (tests; one-process setups without a trigger stage).
            case trigger
        }

        /// The pipeline every run belongs to.
        public var pipeline: String
        public var action: Action
        /// Slots missed by at most this much (downtime, a slow tick) are caught up once; older
        /// ones are skipped and logged.
        public var graceWindow: Duration
        public var tickInterval: Duration
        /// Name of the leader lock; schedulers sharing it elect one leader.
        public var lockName: String
        /// How long a leader holds the lock without renewing it (renewed every tick).
        public var lease: Duration
        /// This scheduler's name in the lock.
        public var owner: String
        /// How long a fired (zone, slot, date) is remembered in the shared store: longer than
        /// any grace window plus the widest zone offsets.
        public var firedTTL: Duration

        public init(pipeline: String = "daily", action: Action = .enqueue, graceWindow: Duration = .seconds(2 * 3600),
                    tickInterval: Duration = .seconds(60), lockName: String = "newsbot.scheduler",
                    lease: Duration = .seconds(180), owner: String = UUID().uuidString,
                    firedTTL: Duration = .seconds(3 * 86400)) {
            self.pipeline = pipeline
            self.action = action
            self.graceWindow = graceWindow
            self.tickInterval = tickInterval
            self.lockName = lockName
            self.lease = lease
            self.owner = owner
            self.firedTTL = firedTTL
        }
    }
}
