import Core
import Foundation

/// The throwaway SQLite file an embedded load test runs on (`./var/loadtest-NAME-PID.sqlite`),
/// removed with its WAL files when the test ends, so every run starts empty and leaves nothing.
struct LoadtestScratchDatabase {
    let path: String

    init(_ name: String) {
        path = "./var/loadtest-\(name)-\(ProcessInfo.processInfo.processIdentifier).sqlite"
    }

    /// Points `configuration`'s store at the file.
    func use(in configuration: inout AppConfiguration) {
        configuration.databaseURL = Secret("sqlite:" + path)
    }

    /// The configuration of the environment on embedded defaults throughout (no Redis, no
    /// RabbitMQ), its store on the file: what the delivery and pipeline load tests measure.
    func embeddedConfiguration() throws -> AppConfiguration {
        var configuration = try AppConfiguration.load()
        use(in: &configuration)
        configuration.redisURL = nil
        configuration.amqpURL = nil
        return configuration
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
