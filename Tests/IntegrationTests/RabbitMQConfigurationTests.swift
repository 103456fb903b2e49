import Core
import RabbitMQBackend
import Testing

/// Needs no broker.
struct RabbitMQConfigurationTests {
    @Test func configurationParsesURLAndRedactsPassword() throws {
        let configuration = try RabbitMQConfiguration(url: "amqp://user:s3cret@example.org:5673/jobs")
        #expect(configuration.host == "example.org")
        #expect(configuration.port == 5673)
        #expect(configuration.username == "user")
        #expect(configuration.password == "s3cret")
        #expect(configuration.virtualHost == "jobs")
        #expect(!configuration.description.contains("s3cret"))
        #expect(try RabbitMQConfiguration(url: "amqp://guest:guest@127.0.0.1:5672/").virtualHost == "/")
    }

    @Test func errorsNeverShowThePassword() async throws {
        // Nothing listens on port 1: the connect fails, and its error names host and port only.
        var configuration = try RabbitMQConfiguration(url: "amqp://user:s3cret@127.0.0.1:1/")
        configuration.connectAttempts = 1
        let jobs = RabbitMQJobQueue(configuration: configuration)
        let error = await #expect(throws: RabbitMQError.self) {
            try await jobs.stats(QueueName("unreachable"))
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error.map { !"\($0)".contains("s3cret") } == true)
    }
}
