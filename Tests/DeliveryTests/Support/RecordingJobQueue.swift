import Core
import Foundation
import Synchronization

/// A `JobQueue` that forwards to a real one and records every `retry`, so tests can check
/// the backoff delays and whether an attempt was used.
final class RecordingJobQueue: JobQueue {
    struct Retry: Sendable, Hashable {
        var attempt: Int
        var delay: Duration
        var countsAsAttempt: Bool
    }

    let base: any JobQueue
    private let recorded = Mutex<[Retry]>([])

    init(_ base: any JobQueue) {
        self.base = base
    }

    var retries: [Retry] { recorded.withLock { $0 } }

    func push(_ payloads: [Data], to queue: QueueName, delay: Duration) async throws {
        try await base.push(payloads, to: queue, delay: delay)
    }

    func receive(from queue: QueueName, max: Int, wait: Duration) async throws -> [ReceivedJob] {
        try await base.receive(from: queue, max: max, wait: wait)
    }

    func ack(_ job: ReceivedJob) async throws { try await base.ack(job) }

    func retry(_ job: ReceivedJob, after delay: Duration, countsAsAttempt: Bool) async throws {
        recorded.withLock { $0.append(Retry(attempt: job.attempt, delay: delay, countsAsAttempt: countsAsAttempt)) }
        try await base.retry(job, after: delay, countsAsAttempt: countsAsAttempt)
    }

    func deadLetter(_ job: ReceivedJob, reason: String) async throws { try await base.deadLetter(job, reason: reason) }
    func stats(_ queue: QueueName) async throws -> QueueStats { try await base.stats(queue) }
    func deadLetters(_ queue: QueueName, limit: Int) async throws -> [DeadLetter] {
        try await base.deadLetters(queue, limit: limit)
    }
}
