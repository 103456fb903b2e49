import Core
import Foundation
import RabbitMQBackend

extension PortFactories {
    /// The RabbitMQ job queue, when `NEWSBOT_TEST_AMQP_URL` is set. Tests keep apart through
    /// their queue names (the namespace is in them); the peer is a second connection, as another
    /// worker process would be. Delays are the broker's TTLs, so tests run in real time. It has
    /// no `.leaseExpiry`: an unacked message comes back when its consumer's connection closes.
    static var rabbitMQJobQueues: [PortFactory<any JobQueue>] {
        guard let url = ContractServers.amqpURL else { return [] }
        let make: @Sendable (ContractEnvironment) throws -> any JobQueue = { environment in
            let queue = try RabbitMQJobQueue(url: url)
            environment.onTeardown { await queue.shutdown() }
            return queue
        }
        return [PortFactory("rabbitmq", timeSource: .server, make: { try make($0) }, peer: { environment, _ in try make(environment) })]
    }
}
