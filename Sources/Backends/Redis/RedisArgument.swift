/// One argument of a Redis command, always sent as a length-prefixed bulk string, so
/// binary values (and strings with spaces, quotes, NULs) go through unchanged.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    public init(_ integer: Int) { self.bytes = Array(String(integer).utf8) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }

    public static func string(_ value: String) -> RedisArgument { RedisArgument(value) }
    public static func bytes(_ value: [UInt8]) -> RedisArgument { RedisArgument(bytes: value) }
    public static func int(_ value: Int) -> RedisArgument { RedisArgument(value) }

    /// Milliseconds of a duration, rounded up so a tiny positive TTL never becomes 0
    /// (which Redis rejects for PX).
    public static func milliseconds(_ duration: Duration) -> RedisArgument {
        let (seconds, attoseconds) = duration.components
        var millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if attoseconds % 1_000_000_000_000_000 > 0 { millis += 1 }
        return RedisArgument(Int(millis))
    }
}
