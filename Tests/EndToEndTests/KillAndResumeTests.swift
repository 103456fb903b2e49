import Core
import Foundation
import SQLiteBackend
import Telegram
import TelegramSim
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `newsbot pipeline run --wait` killed with SIGKILL in the middle of delivery, then run again:
/// every due user ends up with exactly one digest — no part lost, none sent twice.
@Suite("pipeline run: SIGKILL during delivery, then resume")
struct KillAndResumeTests {
    static let englishTopics = ["python", "ai", "climate", "football", "space", "economy", "rust", "health"]
    static let russianTopics = ["python", "ai", "космос", "экономика", "футбол"]

    @Test func killDuringDeliveryThenResumeDeliversEachDigestExactlyOnce() async throws {
        try await EmbeddedDeployment.with(pipeline: "e2e") { try await killAndResume($0) }
    }

    private func killAndResume(_ deployment: EmbeddedDeployment) async throws {
        let (binary, simulator, gnews, environment) = (deployment.binary, deployment.simulator, deployment.gnews, deployment.environment)
        let pipelineFile = deployment.pipelineFile
        let database = deployment.databasePath

        // Users in the embedded database the command will use.
        let embedded = try await SQLiteEmbedded.open(url: "sqlite:" + database)
        let users = (0..<120).map { index -> Subscriber in
            let russian = index % 4 == 0
            let pool = russian ? Self.russianTopics : Self.englishTopics
            let topics = (0..<(1 + index % 4)).compactMap { Topic(pool[(index + $0) % pool.count]) }
            return Subscriber(id: 5000 + Int64(index), chatID: 5000 + Int64(index), language: russian ? .ru : .en,
                              timeZone: "UTC", status: .active, slots: [Slot("08:00")!], topics: topics)
        }
        try await embedded.subscribers.upsert(users)
        await embedded.database.close()

        let arguments = ["pipeline", "run", "--slot", "08:00", "--date", "2026-11-26", "--pipeline", pipelineFile.path, "--wait"]
        let log = deployment.log("run")

        // First run: killed once a good part of the messages went out.
        let first = try binary.start(arguments, environment: environment, log: log)
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while simulator.stats(includeChats: false).accepted < 40 {
            #expect(first.isRunning, "the first run ended before it could be killed; log: \(Self.tail(log))")
            guard first.isRunning, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The kill lands while Telegram answers 502 and no send is in the air. A send whose
        // answer never came back cannot be told from a lost one (the Bot API has no idempotency
        // key), so a kill at that instant re-sends it: delivery is exactly-once for every send
        // whose answer arrived, at-least-once only for the sends in flight at a crash.
        // It comes once the ledger holds every send Telegram accepted (on a loaded machine an
        // answer can take a while to be recorded).
        simulator.setFault(.serverError(status: 502), forChat: nil)
        let runKey = SlotRunKey(pipeline: "e2e", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)
        let watcher = try await SQLiteEmbedded.open(url: "sqlite:" + database)
        while first.isRunning, ContinuousClock.now < deadline {
            let accepted = simulator.stats(includeChats: false).accepted
            let recorded = try await watcher.subscribers.run(runKey)?.counts.messagesDelivered ?? 0
            if recorded >= accepted { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        await watcher.database.close()
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        simulator.clearFaults()
        let deliveredBeforeKill = simulator.stats(includeChats: false).accepted

        // Second run: resumes the same run key.
        let status = try await binary.run(arguments, environment: environment, log: log, timeout: .seconds(240))
        #expect(status == 0, "resumed run failed; log: \(Self.tail(log))")

        // Every due user: each stored part received exactly once, nothing else.
        let after = try await SQLiteEmbedded.open(url: "sqlite:" + database)
        let run = try #require(try await after.subscribers.run(SlotRunKey(pipeline: "e2e", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)))
        #expect(run.counts.usersDue == users.count)
        #expect(run.counts.usersPending == 0)
        #expect(run.counts.messagesPending == 0)
        #expect(run.counts.messagesFailed == 0)
        var totalParts = 0
        for user in users {
            let received = simulator.messages(chatID: user.chatID)
            let first = try await after.subscribers.digestMessage(
                DeliveryKey(userID: user.id, slot: Slot("08:00")!, date: LocalDate("2026-11-26")!, part: 1))
            let parts = first?.parts ?? 0
            totalParts += parts
            #expect(received.count == parts, "user \(user.id): \(received.count) messages for \(parts) parts")
            #expect(Set(received.map(\.text)).count == received.count, "user \(user.id) got a part twice")
        }
        #expect(deliveredBeforeKill < totalParts, "the kill came after delivery had finished: nothing was resumed")
        #expect(simulator.stats(includeChats: false).tooManyRequests == 0)
        // Each (topic, language) asked of GNews once, across both runs (cached in SQLite).
        #expect(gnews.callsByQuery.values.allSatisfy { $0 == 1 }, "\(gnews.callsByQuery)")
        await after.database.close()
    }

    static func tail(_ log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}
