import Testing
@testable import RedisBackend

/// `RedisReplyParser` (RESP2 straight into `RedisValue`) and `RedisCommand`'s encoding, without
/// a server.
@Suite struct RedisValueTests {
    private func decode(_ text: String) throws -> RedisValue? {
        try decode(bytes: Array(text.utf8))
    }

    private func decode(bytes: [UInt8]) throws -> RedisValue? {
        var parser = RedisReplyParser()
        parser.append(bytes)
        return try parser.next()
    }

    @Test func scalars() throws {
        #expect(try decode("+OK\r\n") == .status("OK"))
        #expect(try decode(":-42\r\n") == .integer(-42))
        #expect(try decode(":9223372036854775807\r\n") == .integer(.max))
        #expect(try decode(":-9223372036854775808\r\n") == .integer(.min))
        #expect(try decode("$5\r\nhello\r\n") == .bulkString(Array("hello".utf8)))
        #expect(try decode("$0\r\n\r\n") == .bulkString([]))
        #expect(try decode("$-1\r\n") == .null)
        #expect(try decode("*-1\r\n") == .null)
        #expect(try decode("-WRONGTYPE Operation against a key\r\n") == .error("WRONGTYPE Operation against a key"))
    }

    @Test func binaryBulkStringKeepsEveryByte() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 36, 0x2A, 128]
        let value = try decode(bytes: Array("$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8))
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
        #expect(try decode("$5\r\nhello\r") == nil)
        #expect(try decode("*2\r\n:1\r\n") == nil)
        #expect(try decode(":12") == nil)
        #expect(try decode("") == nil)
    }

    /// Replies arrive in whatever pieces the socket gives: byte by byte, several per read.
    @Test func repliesSplitAnywhereOrSharingAReadComeOutWholeAndInOrder() throws {
        let stream = "*3\r\n:2\r\n$5\r\nhello\r\n*1\r\n+OK\r\n-NOSCRIPT No matching script\r\n$-1\r\n:7\r\n"
        let expected: [RedisValue] = [
            .array([.integer(2), .bulkString(Array("hello".utf8)), .array([.status("OK")])]),
            .error("NOSCRIPT No matching script"), .null, .integer(7),
        ]
        var parser = RedisReplyParser()
        var received: [RedisValue] = []
        for byte in stream.utf8 {
            parser.append([byte])
            while let value = try parser.next() { received.append(value) }
        }
        #expect(received == expected)
        #expect(!parser.hasUnreadBytes)

        var whole = RedisReplyParser()
        whole.append(Array(stream.utf8))
        var all: [RedisValue] = []
        while let value = try whole.next() { all.append(value) }
        #expect(all == expected)
    }

    @Test func protocolGarbageThrows() {
        for garbage in ["?what\r\n", ":12a\r\n", ":\r\n", ":99999999999999999999\r\n", "$-2\r\n", "$3\r\nabcde\r\n",
                        "*-5\r\n", "+OK\rX\n", "$9999999999\r\n"] {
            #expect(throws: RedisError.self, "\(garbage.debugDescription)") { try decode(garbage) }
        }
    }

    /// A broken or hostile server cannot make the client recurse without end, reserve memory
    /// for a count it made up, or buffer an endless line.
    @Test func hostileRepliesAreRefusedNotFollowed() throws {
        #expect(throws: RedisError.self) { try decode(String(repeating: "*1\r\n", count: 10_000) + ":1\r\n") }
        #expect(try decode("*2000000000\r\n:1\r\n") == nil, "a huge count is read element by element")
        #expect(throws: RedisError.self) { try decode("+" + String(repeating: "x", count: 70_000)) }
        let deepButAllowed = String(repeating: "*1\r\n", count: RedisReplyParser.maxDepth) + ":1\r\n"
        #expect(try decode(deepButAllowed) != nil)
    }

    @Test func commandsAreLengthPrefixedBulkStrings() {
        let command = RedisCommand(["EVALSHA", "abc", .int(1)], ["key"], [.bytes([0, 13, 10]), ""])
        #expect(command.argumentCount == 6)
        #expect(command.bytes == Array("*6\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n1\r\n$3\r\nkey\r\n".utf8)
                + Array("$3\r\n".utf8) + [0, 13, 10] + Array("\r\n$0\r\n\r\n".utf8))
        let long = RedisCommand([.bytes(Array(repeating: 7, count: 1_234_567))])
        #expect(long.bytes.starts(with: Array("*1\r\n$1234567\r\n".utf8)))
        #expect(RedisCommand([]).argumentCount == 0)
    }

    @Test func argumentsAreWrittenAsTheBytesTheyStandFor() {
        let command = RedisCommand([.joined("p:", "ключ"), .numbered("s:", -42), .int(Int64.min), .int(0), .milliseconds(.seconds(3))])
        #expect(command.bytes == Array("*5\r\n$10\r\np:ключ\r\n$5\r\ns:-42\r\n$20\r\n-9223372036854775808\r\n$1\r\n0\r\n$4\r\n3000\r\n".utf8))
        #expect(RedisArgument.numbered("state:", 7) == "state:7")
        #expect(RedisArgument.joined("rate:", "chat:1") == .bytes(Array("rate:chat:1".utf8)))
        #expect(Set<RedisArgument>([.int(12), "12", .bytes(Array("12".utf8))]).count == 1)
        for value: Int64 in [0, 9, 10, 99, 100, -1, -10, Int64.max, Int64.min] {
            #expect(RedisArgument.int(value).bytes == Array(String(value).utf8))
        }
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
