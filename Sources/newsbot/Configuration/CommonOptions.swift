import ArgumentParser

/// Flags every long-running command accepts; each overrides its environment variable.
struct CommonOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("database-url"), help: "Overrides DATABASE_URL (sqlite:PATH or postgres://…).")
    var databaseURL: String?

    @Option(name: .customLong("redis-url"), help: "Overrides REDIS_URL.")
    var redisURL: String?

    @Option(name: .customLong("amqp-url"), help: "Overrides AMQP_URL.")
    var amqpURL: String?

    @Option(name: .customLong("telegram-api-url"), help: "Overrides TELEGRAM_API_URL.")
    var telegramAPIURL: String?

    @Option(name: .customLong("http-host"), help: "Overrides HTTP_HOST.")
    var httpHost: String?

    @Option(name: .customLong("http-port"), help: "Overrides HTTP_PORT.")
    var httpPort: Int?

    @Option(name: .customLong("log-level"), help: "Overrides LOG_LEVEL.")
    var logLevel: String?
}
