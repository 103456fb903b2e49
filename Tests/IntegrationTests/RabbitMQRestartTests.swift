import Core
import Foundation
import RabbitMQBackend
import Testing

/// A broker restart in the middle of work, on a private RabbitMQ node (servers-ctl
/// `rabbitmq-restart`) so the suites sharing the main broker are not disturbed.
@Suite(.disabled(if: RabbitMQTestEnvironment.url == nil || RedisTestEnvironment.serversCtl == nil,
                 "NEWSBOT_TEST_AMQP_URL / NEWSBOT_TEST_SERVERS_CTL are not set"))
struct RabbitMQRestartTests {
    private typealias Env = RabbitMQTestEnvironment

    /// Ready, delayed and unacked jobs all survive `rabbitmqctl shutdown` + start (durable
    /// queues, persistent messages); the same handle reconnects, re-declares and goes on; jobs
    /// held unacked at the restart come back; nothing is lost. At-least-once: a job may come
    /// twice, so only completeness is asserted, and duplicates are printed.
    @Test(.timeLimit(.minutes(5)))
    func nothingIsLostAcrossABrokerRestart() async throws {
        try await RedisTestEnvironment.withPrivateServer("rabbitmq-restart") { url in
            let jobs = try Env.makeQueue(url: url) { $0.connectAttempts = 2 }
            let queue = Env.uniqueName("restart")
            let ready = (0..<200).map { "ready \($0)" }
            let delayed = (0..<20).map { "delayed \($0)" }
            try await jobs.push(ready.map { Data($0.utf8) }, to: queue)
            try await jobs.push(delayed.map { Data($0.utf8) }, to: queue, delay: .seconds(20))

            // Half done before the restart, ten more taken and not acked.
            var acked = try await Env.drain(jobs, queue) { $0.count >= 100 }
            let held = try await jobs.receive(from: queue, max: 10, wait: .seconds(5))
            #expect(held.count == 10)

            try await RedisTestEnvironment.serversCtl("restart", "rabbitmq-restart")

            // The old connection is gone: a late ack fails or is ignored, never acks the redelivery.
            for job in held { try? await jobs.ack(job) }
            let after = (0..<30).map { "after \($0)" }
            try await pushRetrying(after, to: queue, on: jobs)
            let expected = Set(ready + delayed + after)
            acked += try await Env.drain(jobs, queue) { Set(acked + $0).isSuperset(of: expected) }
            #expect(Set(acked) == expected)
            let stats = try await jobs.stats(queue)
            #expect(stats == QueueStats())
            print("RabbitMQ restart: \(acked.count) acks for \(expected.count) jobs (\(acked.count - Set(acked).count) redelivered twice)")
            await jobs.shutdown()
        }
    }

    /// A push while the broker is still coming back fails (nothing confirmed): the caller
    /// pushes again, as a stage's job retry would.
    private func pushRetrying(_ payloads: [String], to queue: QueueName, on jobs: RabbitMQJobQueue) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await jobs.push(payloads.map { Data($0.utf8) }, to: queue)
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
