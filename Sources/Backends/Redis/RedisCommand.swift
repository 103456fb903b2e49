import Core

/// One command as it goes on the wire: a RESP array of bulk strings
/// (`*N\r\n$len\r\nbytes\r\n…`), so every argument is length-prefixed and binary-safe.
/// Sent only with arguments: Redis gives no reply to an empty array, so `RedisClient.command`
/// refuses one before it reaches a connection.
///
/// Encoded by the task that issues it, once; the connection only copies the commands waiting for
/// it into one buffer and writes it. (hiredis formatted each argument list again on the
/// connection's thread, through C arrays built for the call.)
struct RedisCommand: Sendable {
    let bytes: [UInt8]
    /// The `N` of `*N`.
    let argumentCount: Int

    /// The arguments of `parts`, in order: `RedisCommand(["EVALSHA", digest, n], keys, arguments)`
    /// needs no concatenated array.
    init(_ parts: [RedisArgument]...) {
        var count = 0
        var size = 16
        for part in parts {
            count += part.count
            for argument in part { size += argument.count + 16 }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        bytes.append(UInt8(ascii: "*"))
        Self.appendDecimal(count, to: &bytes)
        for part in parts {
            for argument in part {
                bytes.append(UInt8(ascii: "$"))
                Self.appendDecimal(argument.count, to: &bytes)
                argument.write(to: &bytes)
                bytes.append(UInt8(ascii: "\r"))
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        self.bytes = bytes
        self.argumentCount = count
    }

    /// `value` in decimal, then CRLF.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        JSONStringWriter.append(Int64(value), to: &bytes)
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }
}
