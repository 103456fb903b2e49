import Core
import Foundation
import Testing

/// The `JobQueue` contract: at-least-once delivery with ack, delayed retry (429s not counted as
/// attempts), dead letters, and leases that run out when a worker disappears.
@Suite("JobQueue contract")
struct JobQueueContractTests {
    typealias F = ContractFixtures

    /// A queue name per test, so shared brokers keep tests apart.
    private func queue(_ subject: ContractSubject<any JobQueue>, _ name: String = "work") -> QueueName {
        QueueName("\(subject.environment.namespace).\(name)")
    }

    @Test(arguments: PortFactories.jobQueues)
    func pushedJobsArriveInOrderAndAckRemovesThem(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            let queue = queue(subject)
            try await jobs.push((1...5).map { F.payload("job \($0)") }, to: queue)
            let first = try await jobs.receive(from: queue, max: 3, wait: .zero)
            #expect(first.map { F.text($0.payload) } == ["job 1", "job 2", "job 3"])
            #expect(first.allSatisfy { $0.attempt == 0 && $0.queue == queue })
            #expect(Set(first.map(\.id)).count == 3)
            let rest = try await jobs.receive(from: queue, max: 10, wait: .zero)
            #expect(rest.map { F.text($0.payload) } == ["job 4", "job 5"])
            var stats = try await jobs.stats(queue)
            #expect(stats.ready == 0 && stats.inFlight == 5)
            for job in first + rest { try await jobs.ack(job) }
            stats = try await jobs.stats(queue)
            #expect(stats == QueueStats())
            // Acked jobs never come back, even after their lease would have run out.
            try await subject.environment.advance(by: PortFactories.visibilityTimeout * 2)
            #expect(try await jobs.receive(from: queue, max: 10, wait: .zero).isEmpty)
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func queuesAreSeparate(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            try await jobs.push(F.payload("render me"), to: queue(subject, "render"))
            #expect(try await jobs.receive(from: queue(subject, "deliver"), max: 10, wait: .zero).isEmpty)
            #expect(try await jobs.stats(queue(subject, "render")).ready == 1)
            #expect(try await jobs.receive(from: queue(subject, "render"), max: 10, wait: .zero).count == 1)
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func receiveWaitsForAJobPushedMeanwhile(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            let queue = queue(subject)
            let pusher = try await subject.peer()
            let start = ContinuousClock.now
            async let received = jobs.receive(from: queue, max: 10, wait: .seconds(5))
            try await Task.sleep(for: .milliseconds(100))
            try await pusher.push(F.payload("late"), to: queue)
            let got = try await received
            #expect(got.map { F.text($0.payload) } == ["late"])
            #expect(ContinuousClock.now - start < .seconds(15))
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func receiveOnAnEmptyQueueReturnsEmptyAfterTheWait(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let start = ContinuousClock.now
            let got = try await subject.port.receive(from: queue(subject), max: 10, wait: .milliseconds(200))
            let elapsed = ContinuousClock.now - start
            #expect(got.isEmpty)
            #expect(elapsed >= .milliseconds(180) && elapsed < .seconds(10))
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func delayedJobsBecomeVisibleLater(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            let queue = queue(subject)
            let start = ContinuousClock.now
            try await jobs.push([F.payload("later")], to: queue, delay: .seconds(2))
            try await jobs.push(F.payload("now"), to: queue)
            let stats = try await jobs.stats(queue)
            let now = try await jobs.receive(from: queue, max: 10, wait: .zero)
            // A broker keeps real time: on a starved machine the delay may be over by now, and
            // only then may "later" show early. The injected clock has not moved at all.
            if !subject.environment.realTime || ContinuousClock.now - start < .milliseconds(1800) {
                #expect(stats == QueueStats(ready: 1, delayed: 1))
                #expect(now.map { F.text($0.payload) } == ["now"])
            }
            for job in now { try await jobs.ack(job) }
            try await subject.environment.advance(by: .milliseconds(2500))
            let later = now.count > 1 ? [] : try await jobs.receive(from: queue, max: 10,
                                                                     wait: subject.environment.realTime ? .seconds(10) : .zero)
            #expect((now + later).map { F.text($0.payload) }.sorted() == ["later", "now"])
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func retryCountsAttemptsButNotRateLimits(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            let queue = queue(subject)
            try await jobs.push(F.payload("send"), to: queue)
            let first = try #require(try await jobs.receive(from: queue, max: 1, wait: .zero).first)
            // A 5xx: backoff, uses an attempt.
            let retried = ContinuousClock.now
            try await jobs.retry(first, after: .seconds(1), countsAsAttempt: true)
            let early = try await jobs.receive(from: queue, max: 1, wait: .zero)
            let stats = try await jobs.stats(queue)
            // A broker keeps real time: on a starved machine the backoff may be over by now.
            if subject.environment.kept(retried, under: .seconds(1)) {
                #expect(early.isEmpty)
                #expect(stats.delayed == 1)
            }
            // A broker moves a delayed job back in its own time, later still on a starved machine:
            // it is waited for (up to 10 s) rather than expected within the first 1.5 s.
            let comeBack: Duration = subject.environment.realTime ? .seconds(10) : .zero
            try await subject.environment.advance(by: .milliseconds(1500))
            // Taken early only when the backoff was over (not judged above): it is the job again.
            let again = early.isEmpty ? try await jobs.receive(from: queue, max: 1, wait: comeBack) : early
            let second = try #require(again.first)
            #expect(second.id == first.id)
            #expect(second.payload == first.payload)
            #expect(second.attempt == 1)
            // A 429 with retry_after: waits, does not use an attempt.
            try await jobs.retry(second, after: .seconds(1), countsAsAttempt: false)
            try await subject.environment.advance(by: .milliseconds(1500))
            let third = try #require(try await jobs.receive(from: queue, max: 1, wait: comeBack).first)
            #expect(third.id == first.id)
            #expect(third.attempt == 1)
            try await jobs.retry(third, after: .zero, countsAsAttempt: true)
            let fourth = try #require(try await jobs.receive(from: queue, max: 1, wait: .seconds(2)).first)
            #expect(fourth.attempt == 2)
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func deadLettersKeepTheJobAndTheReason(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            let queue = queue(subject)
            try await jobs.push([F.payload("poison"), F.payload("fine")], to: queue)
            let received = try await jobs.receive(from: queue, max: 2, wait: .zero)
            let poison = try #require(received.first { F.text($0.payload) == "poison" })
            try await jobs.retry(poison, after: .zero, countsAsAttempt: true)
            let again = try #require(try await jobs.receive(from: queue, max: 1, wait: .seconds(2)).first)
            try await jobs.deadLetter(again, reason: "server error 502")
            let dead = try await jobs.deadLetters(queue, limit: 10)
            #expect(dead.count == 1)
            #expect(dead.first?.id == poison.id)
            #expect(dead.first?.payload == F.payload("poison"))
            #expect(dead.first?.reason == "server error 502")
            #expect(dead.first?.attempt == 2)
            #expect(dead.first?.queue == queue)
            let stats = try await jobs.stats(queue)
            #expect(stats.deadLettered == 1)
            #expect(stats.inFlight == 1)
            try await subject.environment.advance(by: PortFactories.visibilityTimeout * 2)
            // The dead job is never handed out again; the unacked one is (lease expiry or not, it is not dead).
            let later = try await jobs.receive(from: queue, max: 10, wait: .zero)
            #expect(!later.contains { $0.id == poison.id })
        }
    }

    @Test(arguments: PortFactories.jobQueues.filter { $0.supports(.leaseExpiry) })
    func unackedJobsComeBackAfterTheLease(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let jobs = subject.port
            let queue = queue(subject)
            try await jobs.push(F.payload("crash while sending"), to: queue)
            let taken = try #require(try await jobs.receive(from: queue, max: 1, wait: .zero).first)
            // The worker dies: no ack, no retry. Until the lease ends nobody else gets the job.
            try await subject.environment.advance(by: PortFactories.visibilityTimeout - .milliseconds(500))
            #expect(try await subject.peer().receive(from: queue, max: 1, wait: .zero).isEmpty)
            try await subject.environment.advance(by: .seconds(1))
            let back = try #require(try await subject.peer().receive(from: queue, max: 1, wait: .zero).first)
            #expect(back.id == taken.id)
            #expect(back.attempt == taken.attempt)
            // The dead worker's late ack must not remove the job now leased to someone else.
            try await jobs.ack(taken)
            #expect(try await jobs.stats(queue).inFlight == 1)
            try await jobs.ack(back)
            #expect(try await jobs.stats(queue) == QueueStats())
        }
    }

    @Test(arguments: PortFactories.jobQueues)
    func concurrentConsumersNeverShareAJob(_ factory: PortFactory<any JobQueue>) async throws {
        try await factory.run { subject in
            let queue = queue(subject)
            let consumers = [subject.port, try await subject.peer(), try await subject.peer()]
            let count = 300
            try await consumers[0].push((0..<count).map { F.payload("job \($0)") }, to: queue)
            let taken = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<6 {
                    let jobs = consumers[index % consumers.count]
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await jobs.receive(from: queue, max: 7, wait: .milliseconds(50))
                            if batch.isEmpty { return mine }
                            for job in batch {
                                mine.append(F.text(job.payload))
                                try await jobs.ack(job)
                            }
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(taken.count == count)
            #expect(Set(taken).count == count)
        }
    }
}
