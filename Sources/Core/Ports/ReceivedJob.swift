import Foundation

/// A job handed to a worker, with what the queue needs to ack or retry it.
public struct ReceivedJob: Sendable, Hashable {
    public var queue: QueueName
    /// Unique per push; stays the same across retries.
    public var id: String
    public var payload: Data
    /// Attempts already used before this one (0 the first time).
    public var attempt: Int
    public var enqueuedAt: Date
    /// Backend-specific handle (row id and lease token, AMQP delivery tag).
    public var receipt: String

    public init(queue: QueueName, id: String, payload: Data, attempt: Int, enqueuedAt: Date, receipt: String) {
        self.queue = queue
        self.id = id
        self.payload = payload
        self.attempt = attempt
        self.enqueuedAt = enqueuedAt
        self.receipt = receipt
    }
}
