import Foundation

/// The pipeline's work queues: at-least-once delivery with ack, delayed retry and a dead-letter
/// queue. Embedded: SQLite (durable, in-process consumers). Scaled out: RabbitMQ.
///
/// A job received but neither acked nor retried (its worker died) comes back after the lease
/// (`visibilityTimeout`) or when the broker sees the consumer gone.
public protocol JobQueue: Sendable {
    /// Enqueues payloads; with a delay they become visible only after it.
    func push(_ payloads: [Data], to queue: QueueName, delay: Duration) async throws
    /// Takes up to `max` jobs, waiting up to `wait` for the first one. Empty when none arrived.
    func receive(from queue: QueueName, max: Int, wait: Duration) async throws -> [ReceivedJob]
    /// The job is done: remove it.
    func ack(_ job: ReceivedJob) async throws
    /// Puts the job back, visible after `delay`. `countsAsAttempt: false` (a Telegram 429) keeps
    /// the attempt number as it is.
    func retry(_ job: ReceivedJob, after delay: Duration, countsAsAttempt: Bool) async throws
    /// Moves the job to the queue's dead-letter queue with a reason.
    func deadLetter(_ job: ReceivedJob, reason: String) async throws
    func stats(_ queue: QueueName) async throws -> QueueStats
    func deadLetters(_ queue: QueueName, limit: Int) async throws -> [DeadLetter]
}

extension JobQueue {
    public func push(_ payload: Data, to queue: QueueName, delay: Duration = .zero) async throws {
        try await push([payload], to: queue, delay: delay)
    }

    public func push(_ payloads: [Data], to queue: QueueName) async throws {
        try await push(payloads, to: queue, delay: .zero)
    }
}
