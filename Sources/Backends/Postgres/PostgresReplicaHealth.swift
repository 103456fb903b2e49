/// What the last probe or read said about a replica; only `healthy` replicas get reads.
public enum PostgresReplicaHealth: String, Sendable, Hashable {
    /// Not probed yet: reads go to the primary until the first probe succeeds.
    case unknown
    case healthy
    /// Reachable but further behind the primary than the configured bound.
    case lagging
    /// Connection refused, closed, or no answer within the read timeout.
    case unreachable
    /// `pg_is_in_recovery()` is false: a primary (promoted or misconfigured), not a standby of ours.
    case notStandby = "not_standby"
}
