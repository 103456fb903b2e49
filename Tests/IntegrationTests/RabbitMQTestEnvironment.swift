import Core
import Foundation
import RabbitMQBackend

/// What scripts/test exports for the RabbitMQ suites, and helpers giving each test queues of
/// its own on the shared broker.
enum RabbitMQTestEnvironment {
    static var url: String? {
        guard let value = ProcessInfo.processInfo.environment["NEWSBOT_TEST_AMQP_URL"], !value.isEmpty else { return nil }
        return value
    }

    /// A queue name no other test (or earlier run) uses.
    static func uniqueName(_ test: String) -> QueueName {
        QueueName("newsbot-test.\(test).\(UUID().uuidString)")
    }

    /// A job queue on `url` (default: the shared broker); `configure` adjusts its settings.
    static func makeQueue(url: String? = nil,
                          configure: (inout RabbitMQConfiguration) -> Void = { _ in }) throws -> RabbitMQJobQueue {
        guard let url = url ?? self.url else {
            throw RabbitMQError(.invalidConfiguration, "NEWSBOT_TEST_AMQP_URL is not set")
        }
        var configuration = try RabbitMQConfiguration(url: url)
        configuration.rpcTimeout = .seconds(5)
        configure(&configuration)
        return RabbitMQJobQueue(configuration: configuration)
    }

    /// Takes jobs from `queue` until `done` says so, acking each, going on through errors (a
    /// broker away answers with them) as a worker does; throws when `timeout` passes first (a
    /// bound against hangs). Returns the payloads in the order acked, duplicates included.
    static func drain(_ jobs: RabbitMQJobQueue, _ queue: QueueName, timeout: Duration = .seconds(90),
                      until done: ([String]) -> Bool) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var acked: [String] = []
        while !done(acked) {
            guard ContinuousClock.now < deadline else {
                throw RabbitMQError(.timeout, "drained \(acked.count) jobs of \(queue) before the bound")
            }
            do {
                for job in try await jobs.receive(from: queue, max: 20, wait: .milliseconds(500)) {
                    try await jobs.ack(job)
                    acked.append(String(decoding: job.payload, as: UTF8.self))
                }
            } catch {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        return acked
    }
}
