import Foundation
import NIOSSL

extension PipelinedHTTPClient {
    /// One origin (scheme, host, port, optional path prefix) and how to use it.
    package struct Configuration: Sendable {
        package var host: String
        package var port: Int
        package var useTLS: Bool
        /// Path before every request's own, without a trailing slash ("" for none).
        var basePath: String
        /// Most connections opened; each carries any number of requests in flight.
        var connections: Int
        var connectTimeout: Duration
        /// A connection without requests for this long is closed.
        var idleTimeout: Duration
        var maxResponseBytes: Int
        /// TLS settings for `https`: the system's trust store and full verification unless a
        /// test trusts its own certificate.
        var tls = TLSConfiguration.makeClientConfiguration()

        /// nil unless `baseURL` is plain `http://` or `https://` with a host.
        package init?(baseURL: String, connections: Int, connectTimeout: Duration = .seconds(10),
              idleTimeout: Duration = .seconds(55), maxResponseBytes: Int) {
            guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
                  components.query == nil, components.user == nil else { return nil }
            self.host = host
            self.useTLS = scheme == "https"
            self.port = components.port ?? (useTLS ? 443 : 80)
            var path = components.percentEncodedPath
            while path.hasSuffix("/") { path.removeLast() }
            self.basePath = path
            self.connections = max(1, connections)
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.maxResponseBytes = maxResponseBytes
        }

        /// The `Host` header: the port only when it is not the scheme's default; IPv6 in brackets.
        var hostHeader: String {
            let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            return port == (useTLS ? 443 : 80) ? name : "\(name):\(port)"
        }

        /// The TLS server name: none for an IP address.
        var serverName: String? {
            guard useTLS else { return nil }
            let isIP = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
            return isIP ? nil : host
        }
    }
}
