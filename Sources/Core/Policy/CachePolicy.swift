/// How long fetched news is shared before a source is asked again.
public struct CachePolicy: Sendable, Hashable, Codable {
    /// Cache period: one source call per (topic, language) per period.
    public var ttl: Duration
    /// How long a fetch may hold the single-flight lock before others may take over.
    public var lockTTL: Duration

    public init(ttl: Duration = .seconds(3600), lockTTL: Duration = .seconds(30)) {
        self.ttl = ttl
        self.lockTTL = lockTTL
    }
}
