import Foundation

/// Real servers the contract suites also run against when their URLs are set (scripts/test
/// starts throwaway ones). Unset: only the memory and SQLite implementations run.
enum ContractServers {
    static let databaseURL = value("NEWSBOT_TEST_DATABASE_URL")
    static let redisURL = value("NEWSBOT_TEST_REDIS_URL")
    static let amqpURL = value("NEWSBOT_TEST_AMQP_URL")

    private static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
