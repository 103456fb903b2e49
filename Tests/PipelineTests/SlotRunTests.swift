import Core
import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import SQLiteBackend
import Telegram
import Testing
@testable import Pipeline

@Suite("Whole slot runs")
struct SlotRunTests {
    let run = SlotRunWorld.run
    let scratch = ScratchDirectories()

    /// Runs every stage as a service until the run is finished, then shuts down gracefully.
    private func runToCompletion(_ world: SlotRunWorld, _ telegram: RecordingTelegram) async throws -> RunProgress {
        let workers = try world.workers(telegram: telegram)
        let monitor = RunMonitor(store: world.store, pollInterval: .milliseconds(20))
        return try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await workers.run() }
                let progress = try await monitor.waitForCompletion(run, timeout: .seconds(30))
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
                return progress
            }
        }
    }

    /// Each due user with news has exactly their digest's parts; no one else got anything.
    private func expectExactlyOneDigestPerDueUser(_ world: SlotRunWorld, _ telegram: RecordingTelegram) async throws {
        let counts = telegram.countsByChat
        var withNews = 0
        for user in SlotRunWorld.due {
            let first = try await world.store.digestMessage(DeliveryKey(userID: user.id, slot: run.slot, date: run.date, part: 1))
            if user.topics.allSatisfy({ $0.name == "quiet" }) {
                #expect(first == nil && counts[user.chatID] == nil, "user \(user.id) has no news")
            } else {
                let parts = try #require(first?.parts, "user \(user.id) has a digest")
                #expect(counts[user.chatID] == parts, "user \(user.id): \(counts[user.chatID] ?? 0) messages for \(parts) parts")
                withNews += 1
            }
        }
        #expect(Set(counts.keys).isSubset(of: Set(SlotRunWorld.due.map(\.chatID))))
        #expect(withNews == SlotRunWorld.due.count - SlotRunWorld.dueWithoutNews)
    }

    @Test(arguments: SlotRunWorld.Backend.allCases)
    func aSlotRunDeliversExactlyOneDigestPerDueUserAndFetchesEachPairOnce(_ backend: SlotRunWorld.Backend) async throws {
        let world = try await SlotRunWorld.make(backend, file: try scratch.sqliteFile("newsbot-slot-run"))
        let telegram = RecordingTelegram()
        let report = try await world.coordinator().trigger(run)
        #expect(report.created)
        let progress = try await runToCompletion(world, telegram)

        try await expectExactlyOneDigestPerDueUser(world, telegram)
        let pairs = Set(SlotRunWorld.due.flatMap(TopicLanguage.pairs(of:)))
        #expect(world.source.totalCalls == pairs.count, "one source call per (topic, language)")
        #expect(world.source.callsByQuery.values.allSatisfy { $0 == 1 })
        let counts = progress.counts
        #expect(counts.usersDue == SlotRunWorld.due.count)
        #expect(counts.usersPending == 0)
        #expect(counts.usersSkipped == ["no_news": SlotRunWorld.dueWithoutNews])
        #expect(counts.messagesDelivered == counts.messages && counts.messages == telegram.sent.count)
        #expect(progress.run.completedAt != nil, "marked completed once nothing is pending")
        #expect(telegram.sent.allSatisfy { $0.parseMode == .html && $0.linkPreviewsDisabled })
        #expect(progress.summary.contains("skipped:        \(SlotRunWorld.dueWithoutNews) (no_news \(SlotRunWorld.dueWithoutNews))"))
    }

    @Test(arguments: SlotRunWorld.Backend.allCases)
    func workersKilledMidDeliveryThenTriggeredAgainStillGiveEachUserOneDigest(_ backend: SlotRunWorld.Backend) async throws {
        let file = try scratch.sqliteFile("newsbot-kill")
        let world = try await SlotRunWorld.make(backend, file: file)
        // Telegram stops answering after 25 messages: the kill comes while sends hang.
        let hanging = RecordingTelegram(holdAfter: 25)
        try await world.coordinator().trigger(run)
        let workers = try world.workers(telegram: hanging)
        let killed = Task { try await workers.run() }
        // Every answered send is in the ledger before the kill (a send's ledger write follows
        // its answer, and another lane's hanging send says nothing about it).
        try await waitUntil {
            guard hanging.sent.count == 25, hanging.hanging > 0 else { return false }
            return try await world.store.run(run)?.counts.messagesDelivered == 25
        }
        killed.cancel()
        _ = await killed.result
        let before = try #require(try await world.store.run(run)).counts
        #expect(before.messagesDelivered == 25 && before.messagesPending > 0)

        // The process is gone. A memory queue went with it; the SQLite file stays, with jobs
        // taken and never acked, which an operator's recovery hands out again.
        let restarted: SlotRunWorld
        switch backend {
        case .memory:
            restarted = world.withQueue(MemoryJobQueue())
        case .sqlite:
            await world.database?.close()
            restarted = try await SlotRunWorld.make(.sqlite, file: file)
            let queue = try #require(restarted.queue as? SQLiteJobQueue)
            try await queue.recoverAbandoned(olderThan: .zero)
        }
        let resumed = try await restarted.coordinator().trigger(run)
        #expect(!resumed.created)
        #expect(resumed.deliveryJobs == before.messagesPending)

        let telegram = RecordingTelegram()
        _ = try await runToCompletion(restarted, telegram)
        // Both lives together: every due user has exactly their digest, nothing twice.
        let total = RecordingTelegram()
        for request in hanging.sent + telegram.sent { _ = try await total.sendMessage(request) }
        try await expectExactlyOneDigestPerDueUser(restarted, total)
        let after = try #require(try await restarted.store.run(run)).counts
        #expect(after.messagesDelivered == after.messages && after.messages == total.sent.count)
    }
}
