import Core

/// One argument of a Redis command, always sent as a length-prefixed bulk string, so
/// binary values (and strings with spaces, quotes, NULs) go through unchanged.
///
/// An argument keeps what it was made from and is written out once, by `RedisCommand`: a chat
/// front update builds about twenty arguments (keys, ids, JSON, TTLs), and turning each into a
/// byte array of its own first was a sixth of the webhook load test's `malloc` calls.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    enum Storage: Sendable {
        case text(String)
        case bytes([UInt8])
        case integer(Int64)
        /// A key prefix then a name, written back to back without joining them first.
        case joined(String, String)
        /// A key prefix then a decimal id.
        case numbered(String, Int64)
    }

    let storage: Storage

    public init(bytes: [UInt8]) { storage = .bytes(bytes) }
    public init(_ string: String) { storage = .text(string) }
    public init(_ integer: Int) { storage = .integer(Int64(integer)) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }
    init(_ storage: Storage) { self.storage = storage }

    public static func string(_ value: String) -> RedisArgument { RedisArgument(value) }
    public static func bytes(_ value: [UInt8]) -> RedisArgument { RedisArgument(bytes: value) }
    public static func int(_ value: Int) -> RedisArgument { RedisArgument(value) }
    public static func int(_ value: Int64) -> RedisArgument { RedisArgument(.integer(value)) }
    /// `prefix` followed by `name`, as one argument (a key such as `newsbot:rate:` + bucket).
    public static func joined(_ prefix: String, _ name: String) -> RedisArgument { RedisArgument(.joined(prefix, name)) }
    /// `prefix` followed by `id` in decimal (a key such as `newsbot:state:` + chat id).
    public static func numbered(_ prefix: String, _ id: Int64) -> RedisArgument { RedisArgument(.numbered(prefix, id)) }

    /// Milliseconds of a duration, rounded up so a tiny positive TTL never becomes 0
    /// (which Redis rejects for PX).
    public static func milliseconds(_ duration: Duration) -> RedisArgument {
        let (seconds, attoseconds) = duration.components
        var millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if attoseconds % 1_000_000_000_000_000 > 0 { millis += 1 }
        return .int(millis)
    }

    /// The bytes Redis receives.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return bytes
    }

    /// How many bytes `write(to:)` appends.
    var count: Int {
        switch storage {
        case .text(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .integer(let value): Self.digits(value)
        case .joined(let prefix, let name): prefix.utf8.count + name.utf8.count
        case .numbered(let prefix, let id): prefix.utf8.count + Self.digits(id)
        }
    }

    /// Appends the argument's bytes (without RESP framing).
    func write(to bytes: inout [UInt8]) {
        switch storage {
        case .text(let text): bytes.append(contentsOf: text.utf8)
        case .bytes(let value): bytes.append(contentsOf: value)
        case .integer(let value): JSONStringWriter.append(value, to: &bytes)
        case .joined(let prefix, let name):
            bytes.append(contentsOf: prefix.utf8)
            bytes.append(contentsOf: name.utf8)
        case .numbered(let prefix, let id):
            bytes.append(contentsOf: prefix.utf8)
            JSONStringWriter.append(id, to: &bytes)
        }
    }

    /// Equal when Redis would receive the same bytes, however each was made.
    public static func == (lhs: RedisArgument, rhs: RedisArgument) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// Decimal digits of `value`, with its sign.
    static func digits(_ value: Int64) -> Int {
        var count = value < 0 ? 2 : 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
