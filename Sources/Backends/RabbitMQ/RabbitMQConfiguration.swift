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
    /// AMQP heartbeat (whole seconds; zero turns it off). A worker whose machine died or froze
    /// cannot close its connection: without heartbeats its unacked jobs would wait for TCP
    /// keepalive (hours); with them the broker drops the connection after two silent intervals
    /// and hands the jobs out again. Any AMQP traffic counts, and librabbitmq has no background
    /// thread, so a process that makes no queue call for that long loses its connection too
    /// (its jobs may then run twice — at-least-once; the next call reconnects).
    public var heartbeat: Duration = .seconds(30)
    /// Lengths of the delay queues per work queue (`NAME.delay.<ms>`, each with that message
    /// TTL). A delay is rounded up to the next one, so a job never becomes visible early and
    /// waits at most about half as long again (1.5 s → 2 s); a delay beyond the longest goes
    /// round the longest queue again until it is due. Every process must use the same list:
    /// `stats` counts only these queues.
    public var delayBuckets: [Duration] = RabbitMQConfiguration.defaultDelayBuckets

    public static let defaultDelayBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .milliseconds(750), .seconds(1),
        .milliseconds(1500), .seconds(2), .seconds(3), .seconds(5), .milliseconds(7500), .seconds(10),
        .seconds(15), .seconds(20), .seconds(30), .seconds(45), .seconds(60), .seconds(90), .seconds(120),
        .seconds(180), .seconds(300), .seconds(600), .seconds(900), .seconds(1800), .seconds(3600),
    ]

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
