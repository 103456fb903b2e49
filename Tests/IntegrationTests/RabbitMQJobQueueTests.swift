import Core
import Foundation
import RabbitMQBackend
import Testing

/// RabbitMQJobQueue against a real broker (`scripts/test` exports NEWSBOT_TEST_AMQP_URL).
/// Every test uses queue names of its own, so tests share one broker.
@Suite(.disabled(if: RabbitMQTestEnvironment.url == nil, "NEWSBOT_TEST_AMQP_URL is not set"))
struct RabbitMQJobQueueTests {
    private typealias Env = RabbitMQTestEnvironment

    private func makeQueue() throws -> RabbitMQJobQueue { try Env.makeQueue() }

    private func uniqueName(_ test: String) -> QueueName { Env.uniqueName(test) }

    @Test func pushReceiveAck() async throws {
        let jobs = try makeQueue()
        let name = uniqueName("ack")
        try await jobs.push([Data("one".utf8), Data("two".utf8)], to: name)
        let received = try await jobs.receive(from: name, max: 10, wait: .seconds(5))
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["one", "two"])
        #expect(received.allSatisfy { $0.attempt == 0 })
        #expect(Set(received.map(\.id)).count == 2)
        #expect(try await jobs.stats(name).inFlight == 2)
        for job in received { try await jobs.ack(job) }
        // A second ack of a settled job is ignored (the broker would close the channel).
        try await jobs.ack(received[0])
        let stats = try await jobs.stats(name)
        #expect(stats == QueueStats())
        #expect(try await jobs.receive(from: name, max: 10, wait: .milliseconds(200)).isEmpty)
        await jobs.shutdown()
    }

    /// Only bounds that cannot depend on the machine's speed: nothing is visible before the
    /// delay has passed since the push began, and the job arrives (within a generous bound).
    /// "Not visible yet" and "counted as delayed" are checked only while the delay is still
    /// running when the answer comes back: a starved machine may be past it by then.
    @Test func delayedPushBecomesVisibleLater() async throws {
        let jobs = try makeQueue()
        let name = uniqueName("delay")
        let delay = Duration.seconds(3)
        let start = ContinuousClock.now
        try await jobs.push([Data("later".utf8)], to: name, delay: delay)
        var received = try await jobs.receive(from: name, max: 1, wait: .zero)
        if ContinuousClock.now - start < delay { #expect(received.isEmpty) }
        let stats = try await jobs.stats(name)
        if ContinuousClock.now - start < delay { #expect(stats.delayed == 1 && stats.ready == 0) }
        if received.isEmpty { received = try await jobs.receive(from: name, max: 1, wait: .seconds(15)) }
        #expect(ContinuousClock.now - start >= delay)
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["later"])
        for job in received { try await jobs.ack(job) }
        await jobs.shutdown()
    }

    /// A delay longer than the longest delay queue goes round it again until it is due.
    @Test func delayBeyondTheLongestBucketIsNotCutShort() async throws {
        let jobs = try Env.makeQueue { $0.delayBuckets = [.milliseconds(200), .milliseconds(500)] }
        let name = uniqueName("long-delay")
        let delay = Duration.milliseconds(1_300)
        let start = ContinuousClock.now
        try await jobs.push([Data("much later".utf8)], to: name, delay: delay)
        var received: [ReceivedJob] = []
        while received.isEmpty, ContinuousClock.now - start < .seconds(20) {
            received = try await jobs.receive(from: name, max: 1, wait: .seconds(1))
        }
        #expect(ContinuousClock.now - start >= delay)
        let job = try #require(received.first)
        #expect(String(decoding: job.payload, as: UTF8.self) == "much later")
        #expect(job.attempt == 0)
        try await jobs.ack(job)
        #expect(try await jobs.stats(name) == QueueStats())
        await jobs.shutdown()
    }

    @Test func retryCountsAttemptsOnlyWhenAsked() async throws {
        let jobs = try makeQueue()
        let name = uniqueName("retry")
        try await jobs.push([Data("r".utf8)], to: name)
        let first = try #require(try await jobs.receive(from: name, max: 1, wait: .seconds(5)).first)
        try await jobs.retry(first, after: .zero, countsAsAttempt: true)
        let second = try #require(try await jobs.receive(from: name, max: 1, wait: .seconds(5)).first)
        #expect(second.id == first.id)
        #expect(second.attempt == 1)
        // "Not back yet" is checked only while the delay still runs (a starved machine may be past it).
        let retried = ContinuousClock.now
        try await jobs.retry(second, after: .seconds(2), countsAsAttempt: false)
        var again = try await jobs.receive(from: name, max: 1, wait: .zero)
        if ContinuousClock.now - retried < .seconds(2) { #expect(again.isEmpty) }
        if again.isEmpty { again = try await jobs.receive(from: name, max: 1, wait: .seconds(15)) }
        let third = try #require(again.first)
        #expect(third.id == first.id)
        #expect(third.attempt == 1)
        #expect(third.payload == Data("r".utf8))
        try await jobs.ack(third)
        await jobs.shutdown()
    }

    @Test func deadLetterKeepsReasonAndPayload() async throws {
        let jobs = try makeQueue()
        let name = uniqueName("dead")
        try await jobs.push([Data("bad".utf8)], to: name)
        let job = try #require(try await jobs.receive(from: name, max: 1, wait: .seconds(5)).first)
        try await jobs.deadLetter(job, reason: "gave up")
        #expect(try await jobs.stats(name).deadLettered == 1)
        let letters = try await jobs.deadLetters(name, limit: 10)
        #expect(letters.count == 1)
        #expect(letters.first?.id == job.id)
        #expect(letters.first?.reason == "gave up")
        #expect(letters.first?.payload == Data("bad".utf8))
        #expect(letters.first?.attempt == 1)
        // Reading dead letters leaves them in place.
        #expect(try await jobs.deadLetters(name, limit: 10).count == 1)
        #expect(try await jobs.receive(from: name, max: 1, wait: .milliseconds(200)).isEmpty)
        await jobs.shutdown()
    }

    @Test func deadLetterReasonsHaveSecretsMasked() async throws {
        let jobs = try makeQueue()
        let name = uniqueName("dead-redacted")
        try await jobs.push([Data("send".utf8)], to: name)
        let job = try #require(try await jobs.receive(from: name, max: 1, wait: .seconds(5)).first)
        try await jobs.deadLetter(job, reason: "POST https://api.telegram.org/bot123456:AAE-secret_x/sendMessage: 502")
        let reason = try #require(try await jobs.deadLetters(name, limit: 1).first?.reason)
        #expect(!reason.contains("AAE-secret_x"))
        #expect(reason.contains("502"))
        await jobs.shutdown()
    }

    /// Reading dead letters returns only those messages to their queue, not jobs the same
    /// connection holds unacked.
    @Test func readingDeadLettersLeavesHeldJobsAlone() async throws {
        let jobs = try makeQueue()
        let name = uniqueName("dead-held")
        try await jobs.push([Data("bad".utf8), Data("working".utf8)], to: name)
        let received = try await jobs.receive(from: name, max: 2, wait: .seconds(5))
        let bad = try #require(received.first { $0.payload == Data("bad".utf8) })
        let working = try #require(received.first { $0.payload == Data("working".utf8) })
        try await jobs.deadLetter(bad, reason: "gave up")
        #expect(try await jobs.deadLetters(name, limit: 10).map(\.id) == [bad.id])
        let other = try makeQueue()
        #expect(try await other.receive(from: name, max: 1, wait: .milliseconds(300)).isEmpty)
        try await jobs.ack(working)
        #expect(try await jobs.stats(name) == QueueStats(deadLettered: 1))
        await other.shutdown()
        await jobs.shutdown()
    }

    /// A consumer that goes silent with a job — its machine died, or it froze — cannot close
    /// its connection; the heartbeat lets the broker notice and hand the job to someone else.
    @Test func jobsOfAFrozenConsumerComeBackAfterTheHeartbeat() async throws {
        let frozen = try Env.makeQueue { $0.heartbeat = .seconds(1) }
        let name = uniqueName("frozen")
        try await frozen.push([Data("stuck".utf8)], to: name)
        let taken = try #require(try await frozen.receive(from: name, max: 1, wait: .seconds(5)).first)
        // From here `frozen` makes no call (librabbitmq has no thread of its own to answer for it).
        let other = try makeQueue()
        var back: [ReceivedJob] = []
        let start = ContinuousClock.now
        while back.isEmpty, ContinuousClock.now - start < .seconds(30) {
            back = try await other.receive(from: name, max: 1, wait: .seconds(1))
        }
        #expect(back.map(\.id) == [taken.id])
        for job in back { try await other.ack(job) }
        // Awake again: the late ack cannot remove anything; the next call reconnects.
        try? await frozen.ack(taken)
        #expect(try await frozen.stats(name) == QueueStats())
        await other.shutdown()
        await frozen.shutdown()
    }

    @Test func unackedJobsComeBackWhenTheConsumerConnectionCloses() async throws {
        let consumer = try makeQueue()
        let name = uniqueName("unacked")
        try await consumer.push([Data("lost".utf8)], to: name)
        let taken = try #require(try await consumer.receive(from: name, max: 1, wait: .seconds(5)).first)
        let other = try makeQueue()
        #expect(try await other.receive(from: name, max: 1, wait: .milliseconds(200)).isEmpty)
        await consumer.shutdown()
        let back = try #require(try await other.receive(from: name, max: 1, wait: .seconds(5)).first)
        #expect(back.id == taken.id)
        #expect(back.payload == Data("lost".utf8))
        try await other.ack(back)
        // The stale receipt of the closed connection is ignored, not an error.
        try await consumer.ack(taken)
        await other.shutdown()
        await consumer.shutdown()
    }

}
