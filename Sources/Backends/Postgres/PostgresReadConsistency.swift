/// Where a read may be served from.
public enum PostgresReadConsistency: Sendable, Hashable {
    /// The primary: sees every committed write of every process. For flows that must see a write
    /// made just before (a chat reply after a change, `pipeline run --wait`, a worker reading what
    /// the scheduler queued).
    case primary
    /// A healthy replica within the lag bound that has already replayed every write this process
    /// made through the cluster (read-your-writes per process); the primary when none qualifies.
    case replica
}
