import Core
import PostgresBackend
import Telegram
import TelegramSim
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// newsbot scaled out on real servers: several `newsbot` processes share PostgreSQL (primary +
/// streaming replica), Redis and RabbitMQ, and one simulated Telegram.
@Suite("Scaled out: bots, workers and a run on PostgreSQL, Redis and RabbitMQ", .serialized,
       .enabled(if: ScaledOutDeployment.Servers.available != nil,
                "needs NEWSBOT_TEST_DATABASE_URL, _REDIS_URL, _AMQP_URL and _SERVERS_CTL (run scripts/test)"))
struct ScaledOutRunTests {
    static let slot = Slot("08:00")!
    static let date = LocalDate("2026-11-26")!
    static let englishTopics = KillAndResumeTests.englishTopics
    static let russianTopics = KillAndResumeTests.russianTopics

    /// `count` subscribers of the 08:00 slot in several zones, en and ru, 1–4 topics each.
    static func subscribers(_ count: Int, firstID: Int64 = 1) -> [Subscriber] {
        let zones = ["UTC", "Europe/Berlin", "Europe/Moscow", "America/New_York", "Asia/Tokyo"]
        return (0..<count).map { index -> Subscriber in
            let russian = index % 4 == 0
            let pool = russian ? russianTopics : englishTopics
            let topics = (0..<(1 + index % 4)).compactMap { Topic(pool[(index + $0) % pool.count]) }
            let id = firstID + Int64(index)
            return Subscriber(id: id, chatID: id, language: russian ? .ru : .en, timeZone: zones[index % zones.count],
                              status: .active, slots: [slot], topics: topics)
        }
    }

    /// Two webhook bots, two workers and `pipeline run --wait`, 2,000 bulk subscribers plus
    /// people who subscribe through the bots (their updates alternating between the two
    /// processes): every due user gets each part of their digest exactly once, the shared
    /// budget keeps both workers under the simulator's global limit (no 429), each (topic,
    /// language) is asked of GNews once — and the read replica is stopped in the middle of
    /// the run: reads fall back to the primary and the run completes.
    @Test func twoBotsTwoWorkersOneRunForTwoThousandUsers() async throws {
        let servers = try #require(ScaledOutDeployment.Servers.available)
        let deployment = try await ScaledOutDeployment(name: "dist", servers: servers, globalRate: 100)
        do {
            try await run(deployment)
            await deployment.shutDown()
        } catch {
            await deployment.shutDown()
            throw error
        }
    }

    private func run(_ deployment: ScaledOutDeployment) async throws {
        _ = try await deployment.start()
        let bulk = Self.subscribers(2_000)
        try await deployment.insert(bulk)

        let bots = [try deployment.launch("bot-1", ["bot", "--webhook"]), try deployment.launch("bot-2", ["bot", "--webhook"])]
        let workers = try (1...2).map { try deployment.launch("worker-\($0)", ["worker", "--pipeline", deployment.pipelineFile.path,
                                                                             "--concurrency", "4"]) }
        for (index, port) in bots.enumerated() { try await deployment.waitUntilReady(port: port, "bot-\(index + 1)") }
        for (index, port) in workers.enumerated() { try await deployment.waitUntilReady(port: port, "worker-\(index + 1)") }

        // People subscribing through the bots; each person's updates alternate between them.
        let people: [Int64] = (0..<20).map { 900_001 + $0 }
        let steps = ["/start", "/subscribe", "python", "08:00", "Europe/Berlin"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (personIndex, person) in people.enumerated() {
                group.addTask {
                    for (stepIndex, text) in steps.enumerated() {
                        let update = HTTP.messageUpdate(updateID: 1_000 + personIndex * 10 + stepIndex, userID: person, text: text)
                        let status = try await HTTP.postUpdate(update, port: bots[(personIndex + stepIndex) % 2],
                                                               secret: ScaledOutDeployment.webhookSecret)
                        #expect(status == 200, "person \(person), step \(text)")
                    }
                }
            }
            try await group.waitForAll()
        }
        for person in people {
            // One reply per update; a reply whose answer timed out may be sent again (at-least-once).
            let replies = deployment.simulator.messages(chatID: person).count
            #expect((steps.count...steps.count + 2).contains(replies), "person \(person): \(replies) replies to \(steps.count) updates")
        }
        let subscribed = try await deployment.withStore { store in try await people.asyncMap { try await store.subscriber(id: $0) } }
        for subscriber in subscribed {
            #expect(subscriber?.topics == [Topic("python")!] && subscriber?.slots == [Self.slot]
                    && subscriber?.timeZone == "Europe/Berlin")
        }
        let repliesBeforeRun = deployment.simulator.stats(includeChats: false).accepted

        // The run, with the replica stopped once delivery is under way.
        let runLog = "pipeline-run"
        let arguments = ["pipeline", "run", "--slot", "08:00", "--date", Self.date.description,
                         "--pipeline", deployment.pipelineFile.path, "--wait"]
        let runner = try deployment.binary.start(arguments, environment: deployment.environment(httpPort: try FreePort.next()),
                                                 log: deployment.log(runLog))
        let deadline = ContinuousClock.now.advanced(by: .seconds(240))
        while deployment.simulator.stats(includeChats: false).accepted < repliesBeforeRun + 300,
              runner.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try deployment.servers.ctl("stop", "replica-dist")
        let status = try await NewsbotBinary.wait(for: runner, timeout: .seconds(240))
        #expect(status == 0, "pipeline run failed: \(deployment.tail(runLog))")
        #expect(deployment.exited.isEmpty, "processes that stopped on their own: \(deployment.exited)")

        let digests = try await Self.expectEachPartOnce(deployment, pipeline: "dist", users: bulk.map(\.id) + people,
                                                        otherMessages: { people.contains($0) ? steps.count...steps.count + 2 : 0...0 })
        let stats = deployment.simulator.stats(includeChats: false)
        #expect(stats.accepted - repliesBeforeRun == digests, "messages accepted during the run that were no digest part")
        let refused = deployment.simulator.stats().chats.filter { $0.tooManyRequests > 0 }.map(\.chatID)
        #expect(stats.tooManyRequests == 0,
                "busiest second \(stats.maxGlobalPerSecond), busiest chat second \(stats.maxChatPerSecond), 429 for chats \(refused)")
        #expect(stats.maxGlobalPerSecond <= 100)
        #expect(deployment.gnews.callsByQuery.values.allSatisfy { $0 == 1 }, "\(deployment.gnews.callsByQuery)")
    }

    /// Checks the finished run: every due user received each stored part of their digest
    /// exactly once (compared by text), nothing pending or failed, and no other message beyond
    /// `otherMessages` (replies of the chat front, which a timeout may resend). Returns the number
    /// of digest messages.
    static func expectEachPartOnce(_ deployment: ScaledOutDeployment, pipeline: String, users: [Int64],
                                   otherMessages: (Int64) -> ClosedRange<Int> = { _ in 0...0 }) async throws -> Int {
        let key = SlotRunKey(pipeline: pipeline, slot: slot, date: date)
        let (run, stored) = try await deployment.withStore { store in
            (try await store.run(key), try await users.asyncMap { userID -> [String] in
                guard let first = try await store.digestMessage(DeliveryKey(userID: userID, slot: slot, date: date, part: 1)) else {
                    return []
                }
                var texts = [first.text]
                if first.parts > 1 {
                    for part in 2...first.parts {
                        texts.append(try await store.digestMessage(DeliveryKey(userID: userID, slot: slot, date: date, part: part))?.text ?? "")
                    }
                }
                return texts
            })
        }
        #expect(run?.counts.usersDue == users.count)
        #expect(run?.counts.usersPending == 0)
        #expect(run?.counts.messagesPending == 0)
        #expect(run?.counts.messagesFailed == 0)
        var digests = 0
        for (userID, parts) in zip(users, stored) {
            let received = deployment.simulator.messages(chatID: userID).map(\.text)
            let copies = parts.map { part in received.filter { $0 == part }.count }
            #expect(!parts.isEmpty && copies.allSatisfy { $0 == 1 }, "user \(userID): copies per part \(copies)")
            let others = received.count - copies.reduce(0, +)
            #expect(otherMessages(userID).contains(others), "user \(userID): \(others) messages that are no digest part")
            digests += parts.count
        }
        return digests
    }

    /// RabbitMQ and Redis restarted (stopped, started again) while a run delivers: the worker
    /// reconnects and re-declares its queues, jobs held at the restart come back, the ledger
    /// skips what was already sent — nothing lost, nothing twice. (Redis loses the limiter's
    /// state with the restart, so this test does not assert the absence of 429s; a 429 is
    /// waited out without using an attempt.)
    @Test func restartingRabbitMQAndRedisMidRunLosesNothingAndSendsNothingTwice() async throws {
        let servers = try #require(ScaledOutDeployment.Servers.available)
        let deployment = try await ScaledOutDeployment(name: "chaos", servers: servers, globalRate: 100)
        do {
            _ = try await deployment.start()
            let users = Self.subscribers(600, firstID: 10_001)
            try await deployment.insert(users)
            let worker = try deployment.launch("worker", ["worker", "--pipeline", deployment.pipelineFile.path, "--concurrency", "4"])
            try await deployment.waitUntilReady(port: worker, "worker")

            let runLog = "pipeline-run"
            let runner = try deployment.binary.start(
                ["pipeline", "run", "--slot", "08:00", "--date", Self.date.description, "--pipeline", deployment.pipelineFile.path, "--wait"],
                environment: deployment.environment(httpPort: try FreePort.next()), log: deployment.log(runLog))
            let deadline = ContinuousClock.now.advanced(by: .seconds(240))
            while deployment.simulator.stats(includeChats: false).accepted < 150, runner.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try deployment.servers.ctl("restart", "rabbitmq-chaos")
            let afterRabbit = deployment.simulator.stats(includeChats: false).accepted
            while deployment.simulator.stats(includeChats: false).accepted < afterRabbit + 100, runner.isRunning,
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try deployment.servers.ctl("restart", "redis-chaos")
            let status = try await NewsbotBinary.wait(for: runner, timeout: .seconds(300))
            #expect(status == 0, "pipeline run failed: \(deployment.tail(runLog))")
            #expect(deployment.exited.isEmpty, "processes that stopped on their own: \(deployment.exited)")
            let digests = try await Self.expectEachPartOnce(deployment, pipeline: "chaos", users: users.map(\.id))
            #expect(deployment.simulator.stats(includeChats: false).accepted == digests)
            await deployment.shutDown()
        } catch {
            await deployment.shutDown()
            throw error
        }
    }
}
