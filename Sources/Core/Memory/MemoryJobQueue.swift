import Foundation
import Synchronization

/// In-memory `JobQueue` with leases, delays and dead letters: unit tests and throwaway runs.
/// Not durable; the embedded default is `SQLiteJobQueue`.
public final class MemoryJobQueue: JobQueue {
    private struct Job {
        var id: String
        var payload: Data
        var attempt: Int
        var enqueuedAt: Date
        var visibleAt: Date
    }

    private struct Lease {
        var job: Job
        var queue: QueueName
        var until: Date
    }

    private struct State {
        var ready: [QueueName: [Job]] = [:]
        var leases: [String: Lease] = [:]
        var dead: [QueueName: [DeadLetter]] = [:]
        var nextReceipt: UInt64 = 0
    }

    private let state = Mutex(State())
    private let clock: any NewsbotClock
    private let visibilityTimeout: Duration

    /// - Parameter visibilityTimeout: how long a received job stays invisible before it is handed
    ///   out again when its worker neither acks nor retries it.
    public init(clock: any NewsbotClock = SystemClock(), visibilityTimeout: Duration = .seconds(60)) {
        self.clock = clock
        self.visibilityTimeout = visibilityTimeout
    }

    public func push(_ payloads: [Data], to queue: QueueName, delay: Duration) async throws {
        let now = clock.now()
        let visibleAt = now.addingTimeInterval(max(0, delay.timeInterval))
        state.withLock { s in
            for payload in payloads {
                s.ready[queue, default: []].append(Job(id: UUID().uuidString, payload: payload, attempt: 0,
                                                      enqueuedAt: now, visibleAt: visibleAt))
            }
        }
    }

    public func receive(from queue: QueueName, max: Int, wait: Duration) async throws -> [ReceivedJob] {
        let deadline = ContinuousClock.now.advanced(by: wait)
        var pause = Duration.milliseconds(1)
        while true {
            let jobs = take(from: queue, max: max)
            if !jobs.isEmpty || ContinuousClock.now >= deadline { return jobs }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }

    private func take(from queue: QueueName, max: Int) -> [ReceivedJob] {
        let now = clock.now()
        let leaseUntil = now.addingTimeInterval(visibilityTimeout.timeInterval)
        return state.withLock { s in
            // Expired leases: their worker is gone; hand the jobs out again.
            for (receipt, lease) in s.leases where lease.until <= now {
                s.leases.removeValue(forKey: receipt)
                var job = lease.job
                job.visibleAt = now
                s.ready[lease.queue, default: []].append(job)
            }
            var taken: [ReceivedJob] = []
            var remaining: [Job] = []
            for job in s.ready[queue] ?? [] {
                if taken.count < max, job.visibleAt <= now {
                    s.nextReceipt += 1
                    let receipt = String(s.nextReceipt)
                    s.leases[receipt] = Lease(job: job, queue: queue, until: leaseUntil)
                    taken.append(ReceivedJob(queue: queue, id: job.id, payload: job.payload, attempt: job.attempt,
                                             enqueuedAt: job.enqueuedAt, receipt: receipt))
                } else {
                    remaining.append(job)
                }
            }
            s.ready[queue] = remaining
            return taken
        }
    }

    public func ack(_ job: ReceivedJob) async throws {
        _ = state.withLock { $0.leases.removeValue(forKey: job.receipt) }
    }

    public func retry(_ job: ReceivedJob, after delay: Duration, countsAsAttempt: Bool) async throws {
        let visibleAt = clock.now().addingTimeInterval(max(0, delay.timeInterval))
        state.withLock { s in
            guard var held = s.leases.removeValue(forKey: job.receipt)?.job else { return }
            if countsAsAttempt { held.attempt += 1 }
            held.visibleAt = visibleAt
            s.ready[job.queue, default: []].append(held)
        }
    }

    public func deadLetter(_ job: ReceivedJob, reason: String) async throws {
        let now = clock.now()
        state.withLock { s in
            guard let held = s.leases.removeValue(forKey: job.receipt)?.job else { return }
            s.dead[job.queue, default: []].append(DeadLetter(queue: job.queue, id: held.id, payload: held.payload,
                                                             attempt: held.attempt + 1, reason: reason, failedAt: now))
        }
    }

    public func stats(_ queue: QueueName) async throws -> QueueStats {
        let now = clock.now()
        return state.withLock { s in
            let jobs = s.ready[queue] ?? []
            return QueueStats(ready: jobs.filter { $0.visibleAt <= now }.count,
                              inFlight: s.leases.values.filter { $0.queue == queue }.count,
                              delayed: jobs.filter { $0.visibleAt > now }.count,
                              deadLettered: s.dead[queue]?.count ?? 0)
        }
    }

    public func deadLetters(_ queue: QueueName, limit: Int) async throws -> [DeadLetter] {
        state.withLock { Array(($0.dead[queue] ?? []).prefix(limit)) }
    }
}
