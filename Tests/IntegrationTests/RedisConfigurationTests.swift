import Testing
@testable import RedisBackend

/// URL parsing and settings of `RedisConfiguration`: no server needed.
@Suite struct RedisConfigurationTests {
    @Test func hostAndPortDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://cache.internal")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
    }

    @Test func fullURL() throws {
        let configuration = try RedisConfiguration(url: "redis://worker:p%40ss%3Aword@10.1.2.3:6380/5")
        #expect(configuration.host == "10.1.2.3")
        #expect(configuration.port == 6380)
        #expect(configuration.username == "worker")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == 5)
    }

    @Test func passwordOnlyForms() throws {
        let colon = try RedisConfiguration(url: "redis://:secret@127.0.0.1:7000")
        #expect(colon.username == nil)
        #expect(colon.password == "secret")
        let bare = try RedisConfiguration(url: "redis://secret@127.0.0.1")
        #expect(bare.username == nil)
        #expect(bare.password == "secret")
    }

    @Test func ipv6Host() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:6390/2")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 6390)
        #expect(configuration.database == 2)
        #expect(configuration.description == "redis://[::1]:6390/2")
    }

    @Test(arguments: [
        "http://127.0.0.1:6379",
        "rediss://127.0.0.1:6379",
        "redis://",
        "redis://:pw@",
        "redis://127.0.0.1:0",
        "redis://127.0.0.1:70000",
        "redis://127.0.0.1:port",
        "redis://127.0.0.1:6379/db",
        "redis://127.0.0.1:6379/-1",
        "redis://127.0.0.1:6379/0?timeout=1",
        "redis://[::1:6379",
        "redis://user:bad%zzpw@127.0.0.1",
    ])
    func rejectsInvalidURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    /// Neither the description nor a parse error may reveal the password.
    @Test func secretsStayOutOfTextAndErrors() throws {
        let configuration = try RedisConfiguration(url: "redis://app:hunter2@redis:6379/1")
        #expect(configuration.description == "redis://app:***@redis:6379/1")
        #expect(!"\(configuration)".contains("hunter2"))
        do {
            _ = try RedisConfiguration(url: "redis://app:hunter2@redis:notaport/1")
            Issue.record("an invalid port must be rejected")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.code == .invalidConfiguration)
        }
    }

    @Test func validateRejectsBadSettings() {
        #expect(throws: RedisError.self) { try RedisConfiguration(poolSize: 0).validate() }
        #expect(throws: RedisError.self) { try RedisConfiguration(commandTimeout: .zero).validate() }
        #expect(throws: Never.self) { try RedisConfiguration().validate() }
    }

    @Test func reconnectDelayGrowsAndIsCapped() {
        let configuration = RedisConfiguration(reconnectBaseDelay: .milliseconds(100), reconnectMaxDelay: .seconds(1))
        #expect(configuration.reconnectDelay(afterFailures: 1) == .milliseconds(100))
        #expect(configuration.reconnectDelay(afterFailures: 2) == .milliseconds(200))
        #expect(configuration.reconnectDelay(afterFailures: 4) == .milliseconds(800))
        #expect(configuration.reconnectDelay(afterFailures: 5) == .seconds(1))
        #expect(configuration.reconnectDelay(afterFailures: 500) == .seconds(1))
        #expect(configuration.reconnectDelay(afterFailures: 2, jitter: 0.5) == .milliseconds(100))
        #expect(configuration.reconnectDelay(afterFailures: 2, jitter: 0) == .milliseconds(100))
    }

    @Test func millisecondArgumentsRoundUp() {
        #expect(RedisArgument.milliseconds(.seconds(2)).bytes == Array("2000".utf8))
        #expect(RedisArgument.milliseconds(.microseconds(1)).bytes == Array("1".utf8))
        #expect(RedisArgument.milliseconds(.microseconds(1500)).bytes == Array("2".utf8))
    }
}
