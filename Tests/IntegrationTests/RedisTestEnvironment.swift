import Foundation
@testable import RedisBackend

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
    /// exits non-zero.
    @discardableResult
    static func serversCtl(_ arguments: String...) throws -> String {
        guard let serversCtl else { throw RedisError(.invalidConfiguration, "NEWSBOT_TEST_SERVERS_CTL is not set") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: serversCtl)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RedisError(.connectionFailed, "servers-ctl \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
