/// Reads RESP2 replies out of the bytes a connection has received, one complete reply at a time,
/// straight into `RedisValue`s.
///
/// Why not hiredis' reader: it builds a C reply tree (an allocation per element) that then had
/// to be copied into `RedisValue` and freed; at two script replies per chat update that churn
/// was a visible share of the chat front's CPU. Replies from a broken or hostile server end in
/// `.protocolError`, never in a crash: lengths, nesting and line sizes are bounded.
struct RedisReplyParser {
    /// Received and not yet consumed: `buffer[start...]`.
    private var buffer: [UInt8] = []
    private var start = 0

    /// Nesting deeper than this is refused (no reply newsbot asks for nests beyond 3).
    static let maxDepth = 32
    /// Redis' own limit for a bulk string (`proto-max-bulk-len`).
    static let maxBulkLength = 512 << 20
    /// A status, error or length line longer than this without its CRLF is not RESP.
    static let maxLineLength = 64 << 10

    /// Bytes received beyond the replies taken so far.
    var hasUnreadBytes: Bool { start < buffer.count }

    /// `next` empties the buffer whenever it has taken every byte, so a connection's buffer holds
    /// at most its largest reply and whatever arrived behind it.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil when the bytes end inside one (nothing is consumed then).
    /// An error reply is `.error`, at any depth; the connection turns a top-level one into a
    /// thrown `.server` error.
    mutating func next() throws(RedisError) -> RedisValue? {
        var index = start
        let parsed = buffer.withUnsafeBufferPointer { bytes in
            Result { () throws(RedisError) -> RedisValue? in try Self.value(in: bytes, at: &index, depth: 0) }
        }
        guard let value = try parsed.get() else { return nil }
        start = index
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return value
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// The value starting at `index`, moving `index` past it; nil when incomplete.
    private static func value(in bytes: UnsafeBufferPointer<UInt8>, at index: inout Int,
                              depth: Int) throws(RedisError) -> RedisValue? {
        guard index < bytes.count else { return nil }
        let kind = bytes[index]
        guard let lineEnd = try lineEnd(in: bytes, from: index + 1) else { return nil }
        let line = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<lineEnd])
        let next = lineEnd + 2
        switch kind {
        case UInt8(ascii: "+"):
            index = next
            return .status(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: "-"):
            index = next
            return .error(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: ":"):
            guard let integer = integer(line) else { throw RedisError(.protocolError, "malformed integer reply") }
            index = next
            return .integer(integer)
        case UInt8(ascii: "$"):
            guard let length = integer(line), length >= -1, length <= maxBulkLength else {
                throw RedisError(.protocolError, "malformed bulk string length")
            }
            if length == -1 {
                index = next
                return .null
            }
            let end = next + Int(length)
            guard end + 2 <= bytes.count else { return nil }
            guard bytes[end] == cr, bytes[end + 1] == lf else {
                throw RedisError(.protocolError, "bulk string without its CRLF")
            }
            index = end + 2
            return .bulkString(Array(UnsafeBufferPointer(rebasing: bytes[next..<end])))
        case UInt8(ascii: "*"):
            guard let count = integer(line), count >= -1, count <= Int64(Int32.max) else {
                throw RedisError(.protocolError, "malformed array length")
            }
            if count == -1 {
                index = next
                return .null
            }
            guard depth < maxDepth else { throw RedisError(.protocolError, "reply nested too deeply") }
            var position = next
            var values: [RedisValue] = []
            // Not trusted for the reservation: a hostile count must not allocate up front.
            values.reserveCapacity(min(Int(count), 1024))
            for _ in 0..<count {
                guard let element = try value(in: bytes, at: &position, depth: depth + 1) else { return nil }
                values.append(element)
            }
            index = position
            return .array(values)
        default:
            throw RedisError(.protocolError, "unexpected reply type byte \(kind)")
        }
    }

    /// The index of the CR of the CRLF ending the line that starts at `from`; nil when the bytes
    /// end before it.
    private static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from: Int) throws(RedisError) -> Int? {
        var position = from
        while position + 1 < bytes.count {
            if bytes[position] == cr {
                guard bytes[position + 1] == lf else { throw RedisError(.protocolError, "CR without LF in a reply line") }
                return position
            }
            position += 1
        }
        if bytes.count - from > maxLineLength { throw RedisError(.protocolError, "reply line too long") }
        return nil
    }

    /// A decimal `Int64` (optional leading minus), nil when empty, malformed or out of range.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        var position = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { position = 1 }
        guard position < digits.count else { return nil }
        var magnitude: UInt64 = 0
        while position < digits.count {
            let digit = digits[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            position += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        return Int64(exactly: magnitude)
    }
}
