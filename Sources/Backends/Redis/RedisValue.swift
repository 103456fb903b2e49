/// A reply from Redis, as `RedisReplyParser` reads it off the socket. Bulk strings stay bytes
/// (values may be binary); `string` decodes them as UTF-8.
public enum RedisValue: Sendable, Hashable {
    case bulkString([UInt8])
    case integer(Int64)
    case array([RedisValue])
    case null
    case status(String)
    /// An error reply nested in an array (e.g. inside a script's result); a top-level error
    /// reply is thrown as `RedisError` with code `.server` instead.
    case error(String)

    /// The text of a bulk string (if valid UTF-8) or a status reply.
    public var string: String? {
        switch self {
        case .bulkString(let bytes): String(validating: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// The bytes of a bulk string.
    public var bytes: [UInt8]? {
        if case .bulkString(let bytes) = self { return bytes }
        return nil
    }

    /// An integer reply, or a bulk string holding a decimal integer (as `GET` of a counter).
    public var int: Int? {
        switch self {
        case .integer(let value): Int(exactly: value)
        case .bulkString(let bytes): String(validating: bytes, as: UTF8.self).flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of an array reply.
    public var elements: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool { self == .null }
}
