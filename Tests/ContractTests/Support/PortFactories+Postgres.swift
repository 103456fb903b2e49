import Core
import Foundation
import PostgresBackend

extension PortFactories {
    /// The PostgreSQL store when `NEWSBOT_TEST_DATABASE_URL` is set. Each test gets its own
    /// migrated schema, dropped afterwards; with `NEWSBOT_TEST_DATABASE_READ_URLS` the lag-tolerant
    /// reads go through the replica (read-your-writes keeps the contract). The peer is a second
    /// cluster on the same schema: another process.
    static var postgresSubscriberStores: [PortFactory<any SubscriberStore>] {
        guard let url = ContractServers.databaseURL else { return [] }
        return [
            PortFactory("postgres", make: { environment in
                PostgresSubscriberStore(cluster: try await postgresCluster(url: url, environment, owner: true))
            }, peer: { environment, _ in
                PostgresSubscriberStore(cluster: try await postgresCluster(url: url, environment, owner: false))
            }),
        ]
    }

    /// A running cluster on this test's schema; the owner migrates it and drops it at teardown.
    static func postgresCluster(url: String, _ environment: ContractEnvironment, owner: Bool) async throws -> PostgresCluster {
        let schema = "contract_" + environment.namespace.dropFirst("contract-".count).replacingOccurrences(of: "-", with: "")
        var configuration = try PostgresConfiguration(
            databaseURL: url, readURLs: ProcessInfo.processInfo.environment["NEWSBOT_TEST_DATABASE_READ_URLS"], schema: schema)
        configuration.primaryPool = PostgresPoolOptions(maximumConnections: 4)
        configuration.replicaPool = PostgresPoolOptions(maximumConnections: 2)
        configuration.replicaReadTimeout = .seconds(2)
        configuration.healthCheckInterval = .milliseconds(250)
        let cluster = PostgresCluster(configuration: configuration)
        let running = Task { try await cluster.run() }
        environment.onTeardown {
            if owner { try? await PostgresMigrator(cluster: cluster).dropSchema() }
            running.cancel()
            _ = await running.result
        }
        if owner { try await PostgresMigrator(cluster: cluster).migrate() }
        return cluster
    }
}
