import Core

/// Everything the PostgreSQL backend needs: the primary (all writes), read replicas, pools,
/// timeouts and how stale a replica may be before reads leave it. Built by the executable from
/// `DATABASE_URL` and `DATABASE_READ_URLS`; nothing here reads the environment.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    public var primary: PostgresEndpoint
    /// Hot standbys of the primary; reads that tolerate replication lag go here, round-robin.
    public var replicas: [PostgresEndpoint]
    /// The schema that holds newsbot's tables (nil: the server's `search_path`, normally `public`).
    /// The migrator creates it; tests use one per run.
    public var schema: String?
    public var primaryPool: PostgresPoolOptions
    public var replicaPool: PostgresPoolOptions
    public var connectTimeout: Duration
    /// A replica read whose query has not been answered by then (connection and first response;
    /// reading a large result is not limited) is retried on the primary and the replica is marked
    /// unreachable: a stopped replica otherwise stalls reads until the pool gives up, ~60 s. Also
    /// bounds health probes and `checkPrimary()`.
    public var replicaReadTimeout: Duration
    /// A replica further behind the primary than this gets no reads until it catches up.
    public var maxReplicaLag: Duration
    /// How often each replica is probed (`pg_is_in_recovery()`, replay position, lag).
    public var healthCheckInterval: Duration
    /// Application name shown in `pg_stat_activity`.
    public var applicationName: String

    public init(primary: PostgresEndpoint, replicas: [PostgresEndpoint] = [], schema: String? = nil,
                primaryPool: PostgresPoolOptions = .init(maximumConnections: 20),
                replicaPool: PostgresPoolOptions = .init(maximumConnections: 10),
                connectTimeout: Duration = .seconds(5), replicaReadTimeout: Duration = .seconds(2),
                maxReplicaLag: Duration = .seconds(10), healthCheckInterval: Duration = .seconds(1),
                applicationName: String = "newsbot") {
        self.primary = primary
        self.replicas = replicas
        self.schema = schema
        self.primaryPool = primaryPool
        self.replicaPool = replicaPool
        self.connectTimeout = connectTimeout
        self.replicaReadTimeout = replicaReadTimeout
        self.maxReplicaLag = maxReplicaLag
        self.healthCheckInterval = healthCheckInterval
        self.applicationName = applicationName
    }

    /// Parses `DATABASE_URL` (the primary) and `DATABASE_READ_URLS` (comma-separated replicas;
    /// nil or blank: none). Errors never contain a password.
    public init(databaseURL: String, readURLs: String? = nil, schema: String? = nil) throws {
        let primary = try PostgresEndpoint(url: databaseURL)
        let replicas = try (readURLs ?? "")
            .split(separator: ",")
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
            .map { try PostgresEndpoint(url: $0) }
        if let schema, !Self.isValidSchemaName(schema) {
            throw NewsbotError(.configuration, "schema name must match [A-Za-z_][A-Za-z0-9_]* (at most 63 characters): \(schema)")
        }
        self.init(primary: primary, replicas: replicas, schema: schema)
    }

    /// Schema names are spliced into `CREATE SCHEMA` and `search_path` (identifiers cannot be bound
    /// as parameters), so only plain identifiers are accepted.
    public static func isValidSchemaName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Primary and replicas, passwords redacted.
    public var description: String {
        var text = "primary=\(primary)"
        if !replicas.isEmpty { text += " replicas=[" + replicas.map(\.description).joined(separator: ", ") + "]" }
        if let schema { text += " schema=\(schema)" }
        return text
    }
}
