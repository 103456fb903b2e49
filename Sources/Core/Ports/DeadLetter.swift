import Foundation

/// A job given up on, kept for operators.
public struct DeadLetter: Sendable, Hashable {
    public var queue: QueueName
    public var id: String
    public var payload: Data
    public var attempt: Int
    public var reason: String
    public var failedAt: Date

    public init(queue: QueueName, id: String, payload: Data, attempt: Int, reason: String, failedAt: Date) {
        self.queue = queue
        self.id = id
        self.payload = payload
        self.attempt = attempt
        self.reason = reason
        self.failedAt = failedAt
    }
}
