import Testing
@testable import RedisBackend

/// Client behaviour that needs no server: nothing listens on the target port.
@Suite struct RedisClientOfflineTests {
    /// Port 1 on loopback: connections are refused at once.
    private func unreachableClient() throws -> RedisClient {
        try RedisClient(configuration: RedisConfiguration(
            host: "127.0.0.1", port: 1, password: "hunter2-secret",
            connectTimeout: .milliseconds(500), commandTimeout: .milliseconds(500), poolSize: 1,
            reconnectBaseDelay: .milliseconds(20), reconnectMaxDelay: .milliseconds(100)))
    }

    /// A refused connection is a retriable error without the password; every call fails the same
    /// way (no state left behind). How fast is a benchmark question, not asserted here.
    @Test func refusedConnectionFailsRetriably() async throws {
        let client = try unreachableClient()
        for _ in 0..<3 {
            do {
                try await client.ping()
                Issue.record("nothing listens on port 1")
            } catch let error as RedisError {
                #expect(error.code == .connectionFailed)
                #expect(error.isRetriable)
                #expect(!error.description.contains("hunter2"))
            }
        }
    }

    /// Redis answers nothing to an empty command: sent, it would leave every later reply on the
    /// connection matched to the wrong command. It is refused before it reaches one.
    @Test func anEmptyCommandIsRefusedBeforeItIsSent() async throws {
        let client = try unreachableClient()
        do {
            try await client.command([])
            Issue.record("an empty command has no reply to return")
        } catch let error as RedisError {
            #expect(error.code == .protocolError)
            #expect(error.message == "empty command")
        }
    }

    @Test func invalidConfigurationIsRejectedUpFront() {
        #expect(throws: RedisError.self) { try RedisClient(configuration: RedisConfiguration(poolSize: 0)) }
        #expect(throws: RedisError.self) { try RedisClient(url: "redis://host:99999") }
    }
}
