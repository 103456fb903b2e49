import Foundation
import Testing
@testable import RedisBackend

/// `RedisClient` against a real Redis (scripts/test starts one). Tests on the shared server
/// use unique keys; tests that stop, restart or freeze a server use private instances made
/// through servers-ctl, so suites running in parallel are not disturbed.
@Suite(.disabled(if: RedisTestEnvironment.url == nil, "NEWSBOT_TEST_REDIS_URL is not set"))
struct RedisClientTests {
    let prefix = RedisTestEnvironment.uniquePrefix("client")

    @Test func setGetDeleteAndExpiry() async throws {
        let client = try RedisTestEnvironment.client()
        let key = prefix + "plain"
        #expect(try await client.get(key) == nil)
        #expect(try await client.set(key, "héllo wörld"))
        #expect(try await client.getString(key) == "héllo wörld")
        #expect(try await client.ttl(key) == nil)

        #expect(try await client.set(key, "second", onlyIfAbsent: true) == false)
        #expect(try await client.getString(key) == "héllo wörld")

        #expect(try await client.set(key, "short-lived", expiry: .seconds(30)))
        let ttl = try #require(try await client.ttl(key))
        #expect(ttl > .seconds(25) && ttl <= .seconds(30))

        #expect(try await client.del(key, prefix + "missing") == 1)
        #expect(try await client.get(key) == nil)

        let fleeting = prefix + "fleeting"
        #expect(try await client.set(fleeting, "x", expiry: .milliseconds(50), onlyIfAbsent: true))
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await client.get(fleeting) == nil)
    }

    @Test func rawCommandsAndReplyShapes() async throws {
        let client = try RedisTestEnvironment.client()
        let list = prefix + "list"
        #expect(try await client.command("RPUSH", .string(list), "a", "b", "c") == .integer(3))
        #expect(try await client.command("LRANGE", .string(list), 0, -1)
            == .array(["a", "b", "c"].map { .bulkString(Array($0.utf8)) }))
        #expect(try await client.command("INCRBY", .string(prefix + "n"), 41) == .integer(41))
        #expect(try await client.command(["INCR", .string(prefix + "n")]).int == 42)
        #expect(try await client.command("PING") == .status("PONG"))
        try await client.del(list, prefix + "n")
    }

    /// Every byte value, CR LF and NUL included, in both key and value.
    @Test func binaryKeysAndValues() async throws {
        let client = try RedisTestEnvironment.client()
        let value = (0...255).map(UInt8.init) + [13, 10, 0, 13, 10]
        let key = Array(prefix.utf8) + [0, 255, 13, 10, 32]
        #expect(try await client.command("SET", .bytes(key), .bytes(value)) == .status("OK"))
        #expect(try await client.command("GET", .bytes(key)) == .bulkString(value))
        #expect(try await client.command("STRLEN", .bytes(key)) == .integer(Int64(value.count)))
        #expect(try await client.command("DEL", .bytes(key)) == .integer(1))

        let big = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try await client.set(prefix + "big", big)
        #expect(try await client.get(prefix + "big") == big)
        try await client.del(prefix + "big")
    }

    @Test func luaScriptsAreLoadedOnceAndRunByDigest() async throws {
        let client = try RedisTestEnvironment.client()
        let script = RedisScript("""
            local n = redis.call('INCRBY', KEYS[1], ARGV[1])
            return {n, ARGV[2], {n * 2}, redis.status_reply('DONE'), false}
            """)
        let key = prefix + "lua"
        let first = try await client.eval(script, keys: [.string(key)], arguments: [5, .bytes([0, 1, 2])])
        #expect(first == .array([.integer(5), .bulkString([0, 1, 2]), .array([.integer(10)]), .status("DONE"), .null]))
        let second = try await client.eval(script, keys: [.string(key)], arguments: [1, "x"])
        #expect(second.elements?.first == .integer(6))

        // The digest is what EVALSHA ran: the server knows it.
        let digest = try await client.load(script)
        #expect(digest.count == 40)
        #expect(try await client.command("SCRIPT", "EXISTS", .string(digest)) == .array([.integer(1)]))
        try await client.del(key)
    }

    @Test func serverErrorsAreThrownWithTheirPrefix() async throws {
        let client = try RedisTestEnvironment.client()
        let key = prefix + "text"
        try await client.set(key, "not a list")
        do {
            try await client.command("LPUSH", .string(key), "x")
            Issue.record("LPUSH on a string must fail")
        } catch let error as RedisError {
            #expect(error.code == .server)
            #expect(error.serverErrorPrefix == "WRONGTYPE")
        }
        let failing = RedisScript("return redis.error_reply('NEWSBOTERR boom')")
        do {
            try await client.eval(failing)
            Issue.record("the script's error reply must be thrown")
        } catch let error as RedisError {
            #expect(error.serverErrorPrefix == "NEWSBOTERR")
        }
        // The connection is still fine after error replies.
        #expect(try await client.getString(key) == "not a list")
        try await client.del(key)
    }

    @Test func databaseIsSelected() async throws {
        let inThree = try RedisTestEnvironment.client(database: 3)
        let inZero = try RedisTestEnvironment.client(database: 0)
        let key = prefix + "db"
        try await inThree.set(key, "three")
        #expect(try await inThree.getString(key) == "three")
        #expect(try await inZero.get(key) == nil)
        try await inThree.del(key)
    }

    /// A wrong password fails the connection; the error names neither the password nor
    /// the URL.
    @Test func authenticationFailureDoesNotLeakThePassword() async throws {
        let base = try RedisConfiguration(url: try #require(RedisTestEnvironment.url))
        var configuration = base
        configuration.password = "hunter2-secret"
        let client = try RedisClient(configuration: configuration)
        do {
            try await client.ping()
            Issue.record("AUTH against a server without that password must fail")
        } catch let error as RedisError {
            #expect(error.code == .connectionFailed)
            #expect(!error.description.contains("hunter2"))
            #expect(!String(reflecting: error).contains("hunter2"))
        }
    }

    @Test func poolRunsConcurrentCommandsWithoutLosingAny() async throws {
        let client = try RedisTestEnvironment.client(poolSize: 3)
        let key = prefix + "counter"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { try await client.command("INCR", .string(key)) }
            }
            try await group.waitForAll()
        }
        #expect(try await client.getString(key) == "200")
        try await client.del(key)
    }

    /// A reply slower than the command timeout fails with `.timeout` (not a hang), and the
    /// connection is replaced for the next command.
    @Test func slowReplyTimesOut() async throws {
        let client = try RedisTestEnvironment.client(commandTimeout: .milliseconds(300), poolSize: 1)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try await client.command("BLPOP", .string(prefix + "never"), 5)
            Issue.record("BLPOP for 5 s must exceed a 300 ms command timeout")
        } catch let error as RedisError {
            #expect(error.code == .timeout)
            #expect(error.isRetriable)
        }
        #expect(clock.now - start < .seconds(15))
        try await client.ping()
    }

    /// Commands sent while the only connection is busy queue behind it and go out pipelined:
    /// each still gets its own reply, in order, and an error reply fails only its own command.
    @Test func commandsWaitingForABusyConnectionArePipelined() async throws {
        let client = try RedisTestEnvironment.client(commandTimeout: .seconds(5), poolSize: 1)
        let counter = prefix + "pipelined-counter"
        let text = prefix + "pipelined-text"
        try await client.set(text, "not a number")
        let busy = Task { try await client.command("BLPOP", .string(prefix + "busy-pipeline"), 1) }
        try await Task.sleep(for: .milliseconds(100))
        let replies = try await withThrowingTaskGroup(of: (Int, Result<RedisValue, RedisError>).self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        // Every tenth command is an error reply (INCR of a non-number).
                        let key = index % 10 == 9 ? text : counter
                        return (index, .success(try await client.command("INCR", .string(key))))
                    } catch let error as RedisError {
                        return (index, .failure(error))
                    }
                }
            }
            var replies: [Int: Result<RedisValue, RedisError>] = [:]
            for try await (index, reply) in group { replies[index] = reply }
            return replies
        }
        #expect(try await busy.value == .null)
        var counts: [Int64] = []
        for index in 0..<200 {
            switch replies[index] {
            case .success(.integer(let value)):
                #expect(index % 10 != 9, "command \(index) must have failed")
                counts.append(value)
            case .failure(let error):
                #expect(index % 10 == 9, "command \(index) failed: \(error)")
                #expect(error.code == .server)
            default:
                Issue.record("command \(index): unexpected reply \(String(describing: replies[index]))")
            }
        }
        #expect(counts.sorted() == Array(1...180))
        #expect(try await client.getString(counter) == "180")
        try await client.del(counter, text)
    }

    @Test func closedClientRefusesCommands() async throws {
        let client = try RedisTestEnvironment.client()
        try await client.ping()
        client.close()
        do {
            try await client.ping()
            Issue.record("a closed client must refuse commands")
        } catch let error as RedisError {
            #expect(error.code == .clientClosed)
        }
    }

    // MARK: failures of the server (private instances)

    /// Restart: idle connections closed by the old server are replaced before use, the
    /// script cache is reloaded after NOSCRIPT; stopped: commands fail fast and retriably;
    /// started again: the client recovers by itself.
    @Test(.disabled(if: RedisTestEnvironment.serversCtl == nil, "NEWSBOT_TEST_SERVERS_CTL is not set"))
    func reconnectsAfterTheServerRestarts() async throws {
        let name = "redis-reconnect"
        try await RedisTestEnvironment.withPrivateServer(name) { url in
            var configuration = try RedisConfiguration(url: url)
            configuration.poolSize = 2
            // Roomy: the pings after the restart must succeed even on a stalled CI machine
            // (a stopped server refuses at once, so the timeouts do not slow that part).
            configuration.connectTimeout = .seconds(2)
            configuration.commandTimeout = .seconds(3)
            let client = try RedisClient(configuration: configuration)
            let script = RedisScript("return redis.call('INCR', KEYS[1])")

            #expect(try await client.eval(script, keys: ["restarts"]) == .integer(1))
            // Open both pooled connections, so both are stale after the restart.
            async let one = client.command("BLPOP", "nothing", "0.2")
            async let two = client.command("BLPOP", "nothing", "0.2")
            _ = try await (one, two)

            try await RedisTestEnvironment.serversCtl("restart", name)
            for _ in 0..<4 { try await client.ping() }
            // No persistence: the counter starts again; the new server never saw the script.
            #expect(try await client.eval(script, keys: ["restarts"]) == .integer(1))

            try await RedisTestEnvironment.serversCtl("stop", name)
            let clock = ContinuousClock()
            for _ in 0..<3 {
                let start = clock.now
                do {
                    try await client.ping()
                    Issue.record("a stopped server cannot answer")
                } catch let error as RedisError {
                    #expect(error.isRetriable)
                }
                #expect(clock.now - start < .seconds(15))
            }

            try await RedisTestEnvironment.serversCtl("start", name)
            try await Self.eventually(within: .seconds(10)) { try await client.ping() }
            #expect(try await client.eval(script, keys: ["restarts"]) == .integer(1))
        }
    }

    /// A frozen server (accepts connections, never answers) costs one command timeout, not
    /// a hang; after it thaws the client carries on.
    @Test(.disabled(if: RedisTestEnvironment.serversCtl == nil, "NEWSBOT_TEST_SERVERS_CTL is not set"))
    func hungServerCannotHangACommand() async throws {
        let name = "redis-hang"
        try await RedisTestEnvironment.withPrivateServer(name) { url in
            var configuration = try RedisConfiguration(url: url)
            configuration.poolSize = 1
            configuration.connectTimeout = .milliseconds(500)
            configuration.commandTimeout = .milliseconds(500)
            let client = try RedisClient(configuration: configuration)
            try await client.ping()

            try await RedisTestEnvironment.serversCtl("pause", name)
            let clock = ContinuousClock()
            for _ in 0..<2 {
                let start = clock.now
                do {
                    try await client.ping()
                    Issue.record("a paused server cannot answer")
                } catch let error as RedisError {
                    #expect(error.code == .timeout)
                }
                #expect(clock.now - start < .seconds(15))
            }
            try await RedisTestEnvironment.serversCtl("resume", name)
            try await Self.eventually(within: .seconds(10)) { try await client.ping() }
        }
    }

    private static func eventually(within limit: Duration, _ body: () async throws -> Void) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                return try await body()
            } catch {
                if ContinuousClock.now >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
