/// A Lua script run with `EVALSHA`. The client loads it (`SCRIPT LOAD`) the first time and
/// again whenever the server answers NOSCRIPT (after a restart or `SCRIPT FLUSH`), so only
/// the 40-byte digest travels on the hot path.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// The digest `SCRIPT LOAD` answered, kept with the script: it is the SHA-1 of the source,
    /// the same on every server, and finding it here costs no hashing of the source per call.
    let digest = RedisScriptDigest()

    public init(_ source: String) {
        self.source = source
    }

    public static func == (lhs: RedisScript, rhs: RedisScript) -> Bool {
        lhs.source == rhs.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
    }
}
