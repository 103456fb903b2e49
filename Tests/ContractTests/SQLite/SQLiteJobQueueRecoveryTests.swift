import Core
import Foundation
@testable import SQLiteBackend
import Testing

/// The SQLite queue across processes: crashed consumers' jobs come back at once, live ones' do
/// not, two handles on one file never take one job twice, jobs survive a restart.
@Suite("SQLite job queue recovery")
struct SQLiteJobQueueRecoveryTests {
    let queue = QueueName("newsbot.deliver")

    private func withFile(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-queue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("queue.sqlite").path)
    }

    /// The pid of a process that has exited and been reaped.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func jobsLeasedByACrashedProcessComeBackAtOnce() async throws {
        try await withFile { path in
            let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
            let current = SQLiteQueueInstance.current()
            let crashed = SQLiteQueueInstance(host: current.host, pid: try deadPID(), processStart: 4242)
            let before = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)), instance: crashed, clock: clock)
            try await before.push((1...3).map { Data("job \($0)".utf8) }, to: queue)
            let leased = try await before.receive(from: queue, max: 3, wait: .zero)
            #expect(leased.count == 3)
            // SIGKILL: no ack, no close. A new process opens the file well within the 60 s lease.
            let after = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)), clock: clock)
            let back = try await after.receive(from: queue, max: 10, wait: .zero)
            #expect(Set(back.map(\.id)) == Set(leased.map(\.id)))
            #expect(back.allSatisfy { $0.attempt == 0 })
        }
    }

    @Test func aReusedPIDIsNotMistakenForTheCrashedProcess() async throws {
        try await withFile { path in
            let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
            let current = SQLiteQueueInstance.current()
            #expect(current.processStart != 0, "Linux reports a process start time")
            let earlierProcess = SQLiteQueueInstance(host: current.host, pid: current.pid, processStart: current.processStart - 1)
            let before = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)), instance: earlierProcess, clock: clock)
            try await before.push(Data("job".utf8), to: queue)
            #expect(try await before.receive(from: queue, max: 1, wait: .zero).count == 1)
            let after = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)), clock: clock)
            #expect(try await after.recoverAbandoned() == 1)
            #expect(try await after.receive(from: queue, max: 1, wait: .zero).count == 1)
        }
    }

    @Test func jobsLeasedByALiveConsumerStayLeased() async throws {
        try await withFile { path in
            let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
            let worker = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)), clock: clock)
            let other = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)), clock: clock)
            try await worker.push(Data("job".utf8), to: queue)
            let leased = try #require(try await worker.receive(from: queue, max: 1, wait: .zero).first)
            #expect(try await other.recoverAbandoned() == 0)
            #expect(try await other.receive(from: queue, max: 1, wait: .zero).isEmpty)
            // An operator who knows the other consumer is stuck can release old leases explicitly.
            clock.advance(by: .seconds(30))
            #expect(try await other.recoverAbandoned(olderThan: .seconds(40)) == 0)
            #expect(try await other.recoverAbandoned(olderThan: .seconds(20)) == 1)
            let back = try #require(try await other.receive(from: queue, max: 1, wait: .zero).first)
            #expect(back.id == leased.id)
            // The first worker's lease is gone: its ack is a no-op, the new lease holds.
            try await worker.ack(leased)
            #expect(try await other.stats(queue).inFlight == 1)
        }
    }

    @Test func twoHandlesOnOneFileNeverTakeAJobTwice() async throws {
        try await withFile { path in
            let first = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)))
            let second = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)))
            let count = 2000
            try await first.push((0..<count).map { Data("job \($0)".utf8) }, to: queue)
            let taken = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<8 {
                    let jobs = index.isMultiple(of: 2) ? first : second
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await jobs.receive(from: queue, max: 25, wait: .milliseconds(30))
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                            for job in batch { try await jobs.ack(job) }
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(taken.count == count)
            #expect(Set(taken).count == count)
            #expect(try await first.stats(queue) == QueueStats())
        }
    }

    @Test func jobsSurviveARestart() async throws {
        try await withFile { path in
            let database = try await SQLiteDatabase.open(.file(path))
            let before = SQLiteJobQueue(database: database)
            try await before.push([Data("ready".utf8)], to: queue)
            // Long enough that even a loaded machine cannot reach it before the first receive.
            try await before.push([Data("delayed".utf8)], to: queue, delay: .seconds(3))
            try await before.push([Data("dead".utf8)], to: queue)
            let taken = try await before.receive(from: queue, max: 2, wait: .zero)
            #expect(taken.map { String(decoding: $0.payload, as: UTF8.self) } == ["ready", "dead"])
            try await before.deadLetter(taken[1], reason: "bad request: token=123:ABC")
            try await before.retry(taken[0], after: .zero, countsAsAttempt: true)
            await database.close()

            let after = SQLiteJobQueue(database: try await SQLiteDatabase.open(.file(path)))
            let stats = try await after.stats(queue)
            #expect(stats.ready + stats.delayed == 2)
            #expect(stats.deadLettered == 1)
            let letters = try await after.deadLetters(queue, limit: 10)
            #expect(letters.map { String(decoding: $0.payload, as: UTF8.self) } == ["dead"])
            #expect(letters.first?.reason.contains("123:ABC") == false, "dead-letter reasons are redacted")
            var jobs: [ReceivedJob] = []
            let deadline = ContinuousClock.now + .seconds(30)
            while jobs.count < 2, ContinuousClock.now < deadline {
                jobs += try await after.receive(from: queue, max: 10, wait: .seconds(2))
            }
            #expect(Set(jobs.map { String(decoding: $0.payload, as: UTF8.self) }) == ["ready", "delayed"])
            #expect(jobs.first { $0.payload == Data("ready".utf8) }?.attempt == 1)
        }
    }
}
