import Foundation
@testable import RedisBackend

#if canImport(Glibc)
import Glibc
#endif

/// What scripts/test exports for the Redis suites: the shared server's URL and the
/// servers-ctl command that can start, stop, pause and restart private instances.
enum RedisTestEnvironment {
    static var url: String? { ProcessInfo.processInfo.environment["NEWSBOT_TEST_REDIS_URL"] }
    static var serversCtl: String? { ProcessInfo.processInfo.environment["NEWSBOT_TEST_SERVERS_CTL"] }

    /// A key prefix no other test (or earlier run) uses, so suites can share one server.
    static func uniquePrefix(_ test: String) -> String {
        "newsbot-test:\(test):\(UUID().uuidString):"
    }

    /// A client for the shared server with test-friendly timeouts.
    static func client(
        commandTimeout: Duration = .seconds(2),
        poolSize: Int = 4,
        database: Int? = nil
    ) throws -> RedisClient {
        guard let url else { throw RedisError(.invalidConfiguration, "NEWSBOT_TEST_REDIS_URL is not set") }
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = commandTimeout
        configuration.connectTimeout = .seconds(1)
        configuration.poolSize = poolSize
        if let database { configuration.database = database }
        return try RedisClient(configuration: configuration)
    }

    /// Runs `servers-ctl ARGS…` on a thread of its own (it blocks for up to seconds, and the
    /// cooperative pool has as many threads as cores) and returns its standard output,
    /// trimmed; throws when it exits non-zero. Uses `popen`, not Foundation's `Process`:
    /// several `Process` waits at once deadlocked corelibs-foundation here.
    @discardableResult
    static func serversCtl(_ arguments: String...) async throws -> String {
        guard let serversCtl else { throw RedisError(.invalidConfiguration, "NEWSBOT_TEST_SERVERS_CTL is not set") }
        let command = ([serversCtl] + arguments).map(shellQuoted).joined(separator: " ")
        let label = arguments.joined(separator: " ")
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(command, label: label) })
            }
        }
    }

    /// Starts private instance `name` (e.g. `redis-reconnect`), runs `body` with its URL and
    /// stops it afterwards, also when `body` throws.
    static func withPrivateServer<R: Sendable>(_ name: String, _ body: (String) async throws -> R) async throws -> R {
        try await serversCtl("start", name)
        do {
            let result = try await body(try await serversCtl("url", name))
            _ = try? await serversCtl("stop", name)
            return result
        } catch {
            _ = try? await serversCtl("resume", name)
            _ = try? await serversCtl("stop", name)
            throw error
        }
    }

    /// True when less than `ttl` has passed since `start`: only then must a value written at
    /// `start` with that TTL still be there. A starved test machine skips such checks
    /// instead of failing them; checks that something expired hold regardless.
    static func within(_ ttl: Duration, since start: ContinuousClock.Instant) -> Bool {
        ContinuousClock.now - start < ttl
    }

    private static func runBlocking(_ command: String, label: String) throws -> String {
        guard let stream = popen(command, "r") else {
            throw RedisError(.connectionFailed, "cannot run servers-ctl")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, stream)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        let status = pclose(stream)
        guard status == 0 else {
            throw RedisError(.connectionFailed, "servers-ctl \(label) failed (status \(status))")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
