import Core
import NIOSSL
import PostgresNIO

extension PostgresEndpoint {
    /// The PostgresNIO client configuration for this server. With a `schema`, every connection
    /// starts with `search_path` set to it, so queries name tables without a schema prefix.
    func clientConfiguration(pool: PostgresPoolOptions, connectTimeout: Duration, schema: String?,
                             applicationName: String) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password?.value, database: database,
            tls: clientTLS)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.minimumConnections = pool.minimumConnections
        configuration.options.maximumConnections = pool.maximumConnections
        configuration.options.connectionIdleTimeout = pool.idleTimeout
        var parameters = [("application_name", applicationName)]
        if let schema { parameters.append(("search_path", schema)) }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable:
            return .disable
        case .prefer:
            tlsConfiguration.certificateVerification = .none
            return .prefer(tlsConfiguration)
        case .require:
            tlsConfiguration.certificateVerification = .none
            return .require(tlsConfiguration)
        case .verifyCA:
            tlsConfiguration.certificateVerification = .noHostnameVerification
            return .require(tlsConfiguration)
        case .verifyFull:
            return .require(tlsConfiguration)
        }
    }
}
