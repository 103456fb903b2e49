import Core
import Foundation
import Logging

/// Everything the executable reads from the environment (and flags), validated once at start.
/// Only the executable reads the environment; libraries get values.
struct AppConfiguration: Sendable {
    var telegramToken: Secret<String>?
    var telegramAPIURL: String
    var webhookSecret: Secret<String>?
    var httpHost: String
    var httpPort: Int
    /// `sqlite:PATH` (default `sqlite:./var/newsbot.sqlite`) or `postgres://…`.
    var databaseURL: Secret<String>
    var databaseReadURLs: [Secret<String>]
    var redisURL: Secret<String>?
    var amqpURL: Secret<String>?
    var gnewsAPIKey: Secret<String>?
    var gnewsAPIURL: String
    /// GNews requests allowed per UTC day (`GNEWS_DAILY_QUOTA`, default 100: the free tier),
    /// spread over the day and shared by every process using the same news cache.
    var gnewsDailyQuota: Int
    var logLevel: Logger.Level
    var logFormat: LogFormat

    static let defaultDatabaseURL = "sqlite:./var/newsbot.sqlite"

    /// Reads the DESIGN.md environment variables; flags in `overrides` win. Throws a clear,
    /// secret-free error for any invalid value.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                     overrides: CommonOptions? = nil) throws -> AppConfiguration {
        func value(_ name: String, _ flag: String?) -> String? {
            if let flag, !flag.isEmpty { return flag }
            guard let raw = environment[name]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }

        let apiURL = value("TELEGRAM_API_URL", overrides?.telegramAPIURL) ?? "https://api.telegram.org"
        try requireHTTPURL(apiURL, name: "TELEGRAM_API_URL")
        let gnewsURL = value("GNEWS_API_URL", nil) ?? "https://gnews.io"
        try requireHTTPURL(gnewsURL, name: "GNEWS_API_URL")
        let quotaText = value("GNEWS_DAILY_QUOTA", nil) ?? "100"
        guard let gnewsQuota = Int(quotaText), gnewsQuota >= 0 else {
            throw NewsbotError(.configuration, "GNEWS_DAILY_QUOTA must be a whole number of requests ≥ 0, got '\(quotaText)'")
        }

        let portText = value("HTTP_PORT", overrides?.httpPort.map(String.init)) ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw NewsbotError(.configuration, "HTTP_PORT must be a port number 0–65535, got '\(portText)'")
        }

        let database = value("DATABASE_URL", overrides?.databaseURL) ?? defaultDatabaseURL
        guard database.hasPrefix("sqlite:") || database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") else {
            throw NewsbotError(.configuration, "DATABASE_URL must start with sqlite: or postgres:// (got '\(Redaction.redact(database))')")
        }
        let replicas = (value("DATABASE_READ_URLS", nil) ?? "")
            .split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for replica in replicas where !(replica.hasPrefix("postgres://") || replica.hasPrefix("postgresql://")) {
            throw NewsbotError(.configuration, "DATABASE_READ_URLS entries must be postgres:// URLs (got '\(Redaction.redact(replica))')")
        }
        if !replicas.isEmpty && database.hasPrefix("sqlite:") {
            throw NewsbotError(.configuration, "DATABASE_READ_URLS needs a postgres:// DATABASE_URL")
        }

        let redis = value("REDIS_URL", overrides?.redisURL)
        if let redis, !(redis.hasPrefix("redis://") || redis.hasPrefix("rediss://")) {
            throw NewsbotError(.configuration, "REDIS_URL must be a redis:// URL (got '\(Redaction.redact(redis))')")
        }
        let amqp = value("AMQP_URL", overrides?.amqpURL)
        if let amqp, !amqp.hasPrefix("amqp://") {
            throw NewsbotError(.configuration, "AMQP_URL must be an amqp:// URL (got '\(Redaction.redact(amqp))')")
        }

        let levelText = (value("LOG_LEVEL", overrides?.logLevel) ?? "info").lowercased()
        guard let level = Logger.Level(rawValue: levelText == "warn" ? "warning" : levelText) else {
            throw NewsbotError(.configuration, "LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got '\(levelText)')")
        }
        let formatText = (value("LOG_FORMAT", nil) ?? "text").lowercased()
        guard let format = LogFormat(rawValue: formatText) else {
            throw NewsbotError(.configuration, "LOG_FORMAT must be text or json (got '\(formatText)')")
        }

        let secret = value("TELEGRAM_WEBHOOK_SECRET", nil)
        if let secret, !(1...256).contains(secret.count)
            || !secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            throw NewsbotError(.configuration, "TELEGRAM_WEBHOOK_SECRET must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
        }

        return AppConfiguration(
            telegramToken: value("TELEGRAM_BOT_TOKEN", nil).map(Secret.init),
            telegramAPIURL: apiURL,
            webhookSecret: secret.map(Secret.init),
            httpHost: value("HTTP_HOST", overrides?.httpHost) ?? "127.0.0.1",
            httpPort: port,
            databaseURL: Secret(database),
            databaseReadURLs: replicas.map(Secret.init),
            redisURL: redis.map(Secret.init),
            amqpURL: amqp.map(Secret.init),
            gnewsAPIKey: value("GNEWS_API_KEY", nil).map(Secret.init),
            gnewsAPIURL: gnewsURL,
            gnewsDailyQuota: gnewsQuota,
            logLevel: level,
            logFormat: format
        )
    }

    /// The bot token, or a clear error naming the variable.
    func requireTelegramToken() throws -> Secret<String> {
        guard let telegramToken else {
            throw NewsbotError(.configuration, "TELEGRAM_BOT_TOKEN is not set (for the simulator any value like 123456:TEST works)")
        }
        return telegramToken
    }

    /// The SQLite path of an `sqlite:PATH` database URL, nil for PostgreSQL.
    var sqlitePath: String? {
        let url = databaseURL.value
        guard url.hasPrefix("sqlite:") else { return nil }
        return String(url.dropFirst("sqlite:".count))
    }

    private static func requireHTTPURL(_ text: String, name: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw NewsbotError(.configuration, "\(name) must be an http(s) URL (got '\(Redaction.redact(text))')")
        }
    }
}
