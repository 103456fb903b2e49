import Testing
@testable import RedisBackend

/// How the client treats a stream it cannot trust, against `ScriptedRedisServer`: the command
/// concerned fails with a specific error, nothing hangs or crashes, and the next command goes out
/// on a fresh connection.
@Suite struct RedisBrokenStreamTests {
    private func client(port: Int, commandTimeout: Duration = .seconds(2)) throws -> RedisClient {
        try RedisClient(configuration: RedisConfiguration(
            host: "127.0.0.1", port: port, connectTimeout: .seconds(1), commandTimeout: commandTimeout,
            poolSize: 1, reconnectBaseDelay: .milliseconds(1), reconnectMaxDelay: .milliseconds(5)))
    }

    /// Only the first connection misbehaves; later ones answer PING as Redis does.
    private func server(firstConnection: ScriptedRedisServer.Answer) async throws -> ScriptedRedisServer {
        try await ScriptedRedisServer { connection, _ in
            connection == 0 ? firstConnection : .reply("+PONG\r\n")
        }
    }

    /// `body` must fail with a `RedisError` of `code`; `why` says why it cannot succeed.
    private func expectFailure(_ code: RedisError.Code, _ why: Comment,
                               _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record(why)
        } catch let error as RedisError {
            #expect(error.code == code)
        } catch {
            Issue.record("not a RedisError: \(error)")
        }
    }

    /// The next command is answered, on a new connection: the broken one was not reused. A ping
    /// that times out because the machine stalled (CI starts hundreds of tests at once on 2 cores)
    /// is tried again, on yet another connection; the server itself answers every ping at once.
    private func expectServedByANewConnection(_ client: RedisClient, _ server: ScriptedRedisServer) async throws {
        var attempts = 1
        while true {
            do {
                try await client.ping()
                break
            } catch let error as RedisError where error.code == .timeout && attempts < 8 {
                attempts += 1
            }
        }
        #expect(server.connections >= 2)
        try await server.stop()
    }

    @Test func unreadableReplyFailsTheCommandAndTheConnectionIsReplaced() async throws {
        let server = try await server(firstConnection: .reply("?not RESP\r\n"))
        let client = try client(port: server.port)
        await expectFailure(.protocolError, "'?' starts no RESP reply") { try await client.ping() }
        try await expectServedByANewConnection(client, server)
    }

    /// A reply beyond what was asked for puts every later reply out of step with its command.
    @Test func aReplyNobodyAskedForRetiresTheConnection() async throws {
        let server = try await server(firstConnection: .reply("+PONG\r\n+PONG\r\n"))
        let client = try client(port: server.port)
        try await client.ping()
        try await expectServedByANewConnection(client, server)
    }

    @Test func aConnectionClosedInsideAReplyFailsItsCommand() async throws {
        let server = try await server(firstConnection: .replyAndClose("$10\r\nhalf"))
        let client = try client(port: server.port)
        await expectFailure(.connectionLost, "the reply never ended") { try await client.command("GET", "key") }
        try await expectServedByANewConnection(client, server)
    }

    /// A server that closes an idle connection (its `timeout` setting, a restart) costs no
    /// command: the next one goes out on a new connection.
    @Test func aConnectionClosedWhileIdleIsReplacedBeforeUse() async throws {
        let server = try await server(firstConnection: .replyAndClose("+PONG\r\n"))
        let client = try client(port: server.port)
        try await client.ping()
        try await Task.sleep(for: .milliseconds(100))
        try await expectServedByANewConnection(client, server)
    }

    /// Silence costs one command timeout, and every command pipelined behind the silent one fails
    /// with it: their replies could no longer be told apart.
    @Test func silenceTimesOutEveryCommandWaitingOnTheConnection() async throws {
        let server = try await server(firstConnection: .silence)
        let client = try client(port: server.port, commandTimeout: .seconds(1))
        let results = await withTaskGroup(of: RedisError?.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        try await client.ping()
                        return nil
                    } catch {
                        return error as? RedisError
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0?.code == .timeout }, "\(results)")
        try await expectServedByANewConnection(client, server)
    }

    /// Closing the client does not leave a caller waiting out its timeout: a command whose reply
    /// has not come fails at once with `.clientClosed`, as do later ones.
    @Test func closingTheClientFailsTheCommandsWaitingForAReply() async throws {
        let server = try await ScriptedRedisServer { _, _ in .silence }
        let client = try client(port: server.port, commandTimeout: .seconds(60))
        let waiting = Task { () -> RedisError? in
            do {
                try await client.ping()
                return nil
            } catch {
                return error as? RedisError
            }
        }
        while server.connections == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(50))
        client.close()
        #expect(await waiting.value?.code == .clientClosed)
        await expectFailure(.clientClosed, "the client is closed") { try await client.ping() }
        try await server.stop()
    }
}
