/// Estimates how far a replica's replay trails the primary, in time, from periodic samples of
/// the primary's WAL position.
///
/// `now() - pg_last_xact_replay_timestamp()` alone reads as "lagging" whenever the primary is
/// simply idle, and says nothing when the standby's WAL receiver is cut off; comparing the
/// standby's replay position with when the primary reached later positions handles both. Pure
/// (times are passed in), so it is tested without a server.
struct PostgresLagEstimator: Sendable {
    /// Samples where the primary's position first reached `lsn`, oldest first.
    private(set) var samples: [(at: ContinuousClock.Instant, lsn: Int64)] = []
    /// How long samples are kept; more than the lag bound so a replica beyond it is still seen as such.
    let retention: Duration

    init(retention: Duration) {
        self.retention = retention
    }

    /// Records the primary's WAL position observed at `at`.
    mutating func record(primaryLSN lsn: Int64, at: ContinuousClock.Instant) {
        if let last = samples.last, lsn <= last.lsn { return }
        samples.append((at, lsn))
        // Keep the newest sample whatever its age: it is the position to catch up with.
        while samples.count > 1, at - samples[0].at > retention { samples.removeFirst() }
    }

    /// The lag of a replica that has replayed up to `replayLSN`: how long ago the primary first
    /// had WAL the replica still lacks; zero when it has everything seen; nil before any sample.
    func lag(replayLSN: Int64, now: ContinuousClock.Instant) -> Duration? {
        guard !samples.isEmpty else { return nil }
        guard let first = samples.first(where: { $0.lsn > replayLSN }) else { return .zero }
        return max(.zero, now - first.at)
    }

    /// The newest primary position seen.
    var latestPrimaryLSN: Int64? { samples.last?.lsn }
}
