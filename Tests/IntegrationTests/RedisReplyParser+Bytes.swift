@testable import RedisBackend

extension RedisReplyParser {
    /// The tests' bytes as the connection hands over a read.
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }
}
