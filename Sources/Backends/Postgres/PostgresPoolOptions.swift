/// Connection pool bounds for one server. Each process opens at most `maximumConnections` to
/// the primary and to every replica, so size it against `max_connections` × processes.
public struct PostgresPoolOptions: Sendable, Hashable {
    /// Connections kept open even when idle.
    public var minimumConnections: Int
    public var maximumConnections: Int
    /// An idle connection above the minimum is closed after this long.
    public var idleTimeout: Duration

    public init(minimumConnections: Int = 0, maximumConnections: Int = 10, idleTimeout: Duration = .seconds(60)) {
        self.minimumConnections = max(0, minimumConnections)
        self.maximumConnections = max(1, maximumConnections, self.minimumConnections)
        self.idleTimeout = idleTimeout
    }
}
