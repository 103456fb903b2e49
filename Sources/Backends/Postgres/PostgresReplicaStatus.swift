/// A replica's health as the cluster sees it, for routing, `/readyz` and logs.
public struct PostgresReplicaStatus: Sendable, Hashable, CustomStringConvertible {
    /// The replica's URL without password.
    public var endpoint: String
    public var health: PostgresReplicaHealth
    /// WAL position replayed (`pg_last_wal_replay_lsn()`, bytes), when known.
    public var replayLSN: Int64?
    /// Estimated replication lag at the last probe.
    public var lag: Duration?
    /// The last failure, redacted (no SQL, no password).
    public var lastError: String?
    /// When the last probe or read settled the health.
    public var checkedAt: ContinuousClock.Instant?

    public init(endpoint: String, health: PostgresReplicaHealth = .unknown, replayLSN: Int64? = nil,
                lag: Duration? = nil, lastError: String? = nil, checkedAt: ContinuousClock.Instant? = nil) {
        self.endpoint = endpoint
        self.health = health
        self.replayLSN = replayLSN
        self.lag = lag
        self.lastError = lastError
        self.checkedAt = checkedAt
    }

    public var description: String {
        var text = "\(endpoint) \(health.rawValue)"
        if let lag { text += " lag=\(lag)" }
        if let lastError { text += " error=\(lastError)" }
        return text
    }
}
