import CHiredis

/// Conversion out of hiredis' reply tree (which the caller frees), and a RESP decoder over
/// hiredis' reader that runs the same conversion without a server.
extension RedisValue {
    init(reply: UnsafePointer<redisReply>) throws(RedisError) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            self = .bulkString(Self.bytes(node.str, node.len))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(node.integer))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var values: [RedisValue] = []
            values.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let child = node.element[index] else {
                    throw RedisError(.protocolError, "array reply with a missing element")
                }
                values.append(try RedisValue(reply: child))
            }
            self = .array(values)
        default:
            throw RedisError(.protocolError, "unsupported reply type \(node.type)")
        }
    }

    /// Decodes one complete RESP reply from `bytes`; nil when the bytes hold only part of
    /// one. Used to test the conversion (and its edge cases) without a server.
    static func decode(resp bytes: [UInt8]) throws(RedisError) -> RedisValue? {
        guard let reader = redisReaderCreate() else {
            throw RedisError(.protocolError, "cannot allocate a reply reader")
        }
        defer { redisReaderFree(reader) }
        let fed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                redisReaderFeed(reader, chars.baseAddress, chars.count)
            }
        }
        guard fed == REDIS_OK else { throw RedisError(.protocolError, "reader rejected the input") }
        var reply: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &reply) == REDIS_OK else {
            let message = withUnsafeBytes(of: reader.pointee.errstr) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw RedisError(.protocolError, message)
        }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return try RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self))
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
