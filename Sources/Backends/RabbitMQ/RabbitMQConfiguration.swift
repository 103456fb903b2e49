import Foundation

/// Where and how to reach RabbitMQ, parsed from `amqp://user:pass@host:port/vhost`.
/// `description` never shows the password.
public struct RabbitMQConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    public var virtualHost: String
    /// TCP connect timeout.
    public var connectTimeout: Duration = .seconds(2)
    /// AMQP handshake/login and each RPC (declare, get, publisher confirm) at most this long.
    public var rpcTimeout: Duration = .seconds(5)
    /// Connection attempts per operation before it fails (backoff between them).
    public var connectAttempts: Int = 4

    public init(host: String = "127.0.0.1", port: Int = 5672, username: String = "guest",
                password: String = "guest", virtualHost: String = "/") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.virtualHost = virtualHost
    }

    /// Parses `amqp://user:pass@host:port/vhost`; an empty path is the default vhost `/`,
    /// `%2f` encodes a slash inside the vhost name.
    public init(url: String) throws(RabbitMQError) {
        guard let components = URLComponents(string: url), components.scheme == "amqp" else {
            throw RabbitMQError(.invalidConfiguration, "not an amqp:// URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw RabbitMQError(.invalidConfiguration, "the AMQP URL has no host")
        }
        self.init(host: host,
                  port: components.port ?? 5672,
                  username: components.user.map { $0.removingPercentEncoding ?? $0 } ?? "guest",
                  password: components.password.map { $0.removingPercentEncoding ?? $0 } ?? "guest")
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            let raw = String(path.dropFirst())
            virtualHost = raw.removingPercentEncoding ?? raw
        }
    }

    public var description: String {
        let vhost = virtualHost == "/" ? "" : virtualHost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? virtualHost
        return "amqp://\(username):***@\(host):\(port)/\(vhost)"
    }
}

/// A RabbitMQ failure. Messages carry library or broker text, never credentials.
public struct RabbitMQError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalidConfiguration
        case connectionFailed
        case connectionLost
        case timeout
        /// The broker refused something (channel or connection close, publish nack).
        case server
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "RabbitMQ \(kind): \(message)" }
}
