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

    /// Runs `servers-ctl ARGS…` and returns its standard output, trimmed; throws when it
    /// exits non-zero. Uses `popen`, not Foundation's `Process`: several `Process` waits at
    /// once from test tasks deadlocked corelibs-foundation here (children left unreaped).
    @discardableResult
    static func serversCtl(_ arguments: String...) throws -> String {
        guard let serversCtl else { throw RedisError(.invalidConfiguration, "NEWSBOT_TEST_SERVERS_CTL is not set") }
        let command = ([serversCtl] + arguments).map(shellQuoted).joined(separator: " ")
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
            throw RedisError(.connectionFailed, "servers-ctl \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
