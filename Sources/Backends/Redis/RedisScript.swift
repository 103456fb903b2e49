/// A Lua script run with `EVALSHA`. The client loads it (`SCRIPT LOAD`) the first time and
/// again whenever the server answers NOSCRIPT (after a restart or `SCRIPT FLUSH`), so only
/// the 40-byte digest travels on the hot path.
public struct RedisScript: Sendable, Hashable {
    public let source: String

    public init(_ source: String) {
        self.source = source
    }
}
