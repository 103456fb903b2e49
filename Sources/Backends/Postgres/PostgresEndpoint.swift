import Core
import Foundation

/// One PostgreSQL server as a `postgres://user:password@host:port/database?sslmode=…` URL
/// names it. The password is kept as a `Secret` and never appears in `description`.
public struct PostgresEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: Secret<String>?
    public var database: String
    public var tls: PostgresTLSMode

    public init(host: String, port: Int = 5432, username: String, password: String? = nil,
                database: String? = nil, tls: PostgresTLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password.map(Secret.init)
        self.database = database ?? username
        self.tls = tls
    }

    /// Parses a libpq-style URL. Errors never repeat the password.
    public init(url text: String) throws {
        let trimmed = text.trimmingWhitespace()
        let shown = Redaction.redact(trimmed)
        guard let components = URLComponents(string: trimmed) else {
            throw NewsbotError(.configuration, "not a URL: \(shown)")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw NewsbotError(.configuration, "a PostgreSQL URL starts with postgres:// or postgresql://: \(shown)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw NewsbotError(.configuration, "PostgreSQL URL without a host: \(shown)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw NewsbotError(.configuration, "PostgreSQL URL without a user name: \(shown)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw NewsbotError(.configuration, "PostgreSQL URL with an invalid port: \(shown)")
        }
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        var tls = PostgresTLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            guard let value = item.value, let mode = PostgresTLSMode(sslmode: value) else {
                throw NewsbotError(.configuration, "unknown sslmode '\(item.value ?? "")' (disable, allow, prefer, require, verify-ca, verify-full)")
            }
            tls = mode
        }
        // IPv6 literals come back bracketed from URLComponents.
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(host: bareHost, port: port, username: user, password: components.password,
                  database: path.isEmpty ? nil : path, tls: tls)
    }

    /// `postgres://user@host:port/database` — never the password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(shownHost):\(port)/\(database)"
    }

    /// `host:port`, for log metadata.
    public var address: String { "\(host):\(port)" }

    public static func == (lhs: PostgresEndpoint, rhs: PostgresEndpoint) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.username == rhs.username
            && lhs.password?.value == rhs.password?.value && lhs.database == rhs.database && lhs.tls == rhs.tls
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(username)
        hasher.combine(database)
    }
}
