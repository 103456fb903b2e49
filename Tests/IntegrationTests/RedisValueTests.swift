import Testing
@testable import RedisBackend

/// The conversion of hiredis replies into `RedisValue`, driven through hiredis' own RESP
/// reader so that it runs without a server.
@Suite struct RedisValueTests {
    private func decode(_ text: String) throws -> RedisValue? {
        try RedisValue.decode(resp: Array(text.utf8))
    }

    @Test func scalars() throws {
        #expect(try decode("+OK\r\n") == .status("OK"))
        #expect(try decode(":-42\r\n") == .integer(-42))
        #expect(try decode(":9223372036854775807\r\n") == .integer(.max))
        #expect(try decode("$5\r\nhello\r\n") == .bulkString(Array("hello".utf8)))
        #expect(try decode("$0\r\n\r\n") == .bulkString([]))
        #expect(try decode("$-1\r\n") == .null)
        #expect(try decode("*-1\r\n") == .null)
        #expect(try decode("-WRONGTYPE Operation against a key\r\n") == .error("WRONGTYPE Operation against a key"))
    }

    @Test func binaryBulkStringKeepsEveryByte() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 36, 0x2A, 128]
        let resp = Array("$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        let value = try RedisValue.decode(resp: resp)
        #expect(value == .bulkString(payload))
        #expect(value?.bytes == payload)
        #expect(value?.string == nil, "invalid UTF-8 must not decode as text")
    }

    @Test func nestedArrays() throws {
        let value = try decode("*4\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+QUEUED\r\n-ERR inner\r\n")
        #expect(value == .array([
            .integer(1),
            .array([.bulkString(Array("a".utf8)), .null]),
            .status("QUEUED"),
            .error("ERR inner"),
        ]))
        #expect(value?.elements?.count == 4)
        #expect(try decode("*0\r\n") == .array([]))
    }

    @Test func incompleteInputIsNotAReply() throws {
        #expect(try decode("$5\r\nhel") == nil)
        #expect(try decode("*2\r\n:1\r\n") == nil)
    }

    @Test func protocolGarbageThrows() {
        #expect(throws: RedisError.self) { try decode("?what\r\n") }
    }

    @Test func accessors() {
        #expect(RedisValue.bulkString(Array("17".utf8)).int == 17)
        #expect(RedisValue.integer(3).int == 3)
        #expect(RedisValue.status("PONG").string == "PONG")
        #expect(RedisValue.null.isNull)
        #expect(RedisValue.integer(1).string == nil)
        #expect(RedisValue.bulkString(Array("x".utf8)).elements == nil)
    }

    @Test func errorPrefixAndRetriability() {
        let noscript = RedisError(.server, "NOSCRIPT No matching script.")
        #expect(noscript.serverErrorPrefix == "NOSCRIPT")
        #expect(!noscript.isRetriable)
        #expect(RedisError(.server, "LOADING Redis is loading").isRetriable)
        #expect(RedisError(.timeout, "no reply").isRetriable)
        #expect(RedisError(.timeout, "no reply").serverErrorPrefix == nil)
        #expect(!RedisError(.invalidConfiguration, "bad").isRetriable)
    }
}
