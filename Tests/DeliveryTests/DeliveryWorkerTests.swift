import Core
import Delivery
import Foundation
import Telegram
import Testing

@Suite(.timeLimit(.minutes(1))) struct DeliveryWorkerTests {
    @Test func sendsEveryMessageOnceAsHTMLWithoutPreviewsAndRecordsIt() async throws {
        let telegram = FakeTelegram()
        let harness = DeliveryHarness(telegram: telegram)
        let messages = try await harness.enqueueDigests(users: Array(1...20), parts: 2)

        try await harness.worker.drain()

        let requests = telegram.requests
        #expect(requests.count == 40)
        #expect(Set(requests.map { "\($0.chatID)/\($0.text)" }).count == 40)
        #expect(requests.allSatisfy { $0.parseMode == .html && $0.linkPreviewsDisabled })
        for message in messages {
            #expect(try await harness.store.digestMessage(message.key)?.deliveredAt != nil)
        }
        #expect(try await harness.stats() == QueueStats())
        let counters = harness.worker.counters
        #expect(counters.sent == 40 && counters.failed == 0 && counters.retried == 0)
    }

    @Test func aJobAlreadyInTheLedgerIsNotSentAgain() async throws {
        let telegram = FakeTelegram()
        let harness = DeliveryHarness(telegram: telegram)
        let messages = try await harness.enqueueDigests(users: [7])
        // The queue redelivers the same message (a worker died after sending, before acking).
        try await harness.push(messages.map(DeliveryJob.init(message:)))

        try await harness.worker.drain()

        #expect(telegram.requests.count == 1)
        #expect(harness.worker.counters.sent == 1)
        #expect(harness.worker.counters.duplicates == 1)
        #expect(try await harness.stats() == QueueStats())
    }

    @Test func partsOfOneChatGoOutInOrder() async throws {
        let telegram = FakeTelegram { _, _ in try await Task.sleep(for: .milliseconds(1)) }
        let harness = DeliveryHarness(telegram: telegram)
        try await harness.enqueueDigests(users: [1, 2, 3], parts: 5)

        try await harness.worker.drain()

        for user in Int64(1)...3 {
            let texts = telegram.requests.filter { $0.chatID == user }.map(\.text)
            #expect(texts == (1...5).map { DeliveryHarness.text(user: user, part: $0) })
        }
    }

    @Test func repliesTakeInteractiveTokensAndStayOutOfTheLedger() async throws {
        let telegram = FakeTelegram()
        let policy = DeliveryPolicy(globalRate: 1000, perChatRate: 1000, perGroupPerMinute: 0, concurrency: 4)
        let harness = DeliveryHarness(telegram: telegram, policy: policy)
        let digests = try await harness.enqueueDigests(users: [1])
        try await harness.push([DeliveryJob(kind: .reply, key: DeliveryHarness.key(user: 2), run: nil, chatID: 2,
                                            text: "Subscribed to <b>ai</b>")])

        try await harness.worker.drain()

        let priorities = Dictionary(harness.limiter.requests.map { ($0.keys.last!, $0.priority) }) { first, _ in first }
        #expect(priorities["chat:1"] == .bulk)
        #expect(priorities["chat:2"] == .interactive)
        #expect(harness.limiter.requests.allSatisfy { $0.keys.first == "global" })
        #expect(telegram.requests.count == 2)
        #expect(try await harness.store.digestMessage(digests[0].key)?.deliveredAt != nil)
    }

    @Test func aMigratedGroupIsFollowedToItsNewID() async throws {
        let telegram = FakeTelegram { request, _ in
            if request.chatID == -10 { throw TelegramError.chatMigrated(newChatID: -100_777) }
        }
        let harness = DeliveryHarness(telegram: telegram)
        let messages = try await harness.enqueueDigests(users: [5], chatIDs: [5: -10])

        try await harness.worker.drain()

        #expect(telegram.requests.map(\.chatID) == [-10, -100_777])
        #expect(try await harness.store.subscriber(id: 5)?.chatID == -100_777)
        #expect(try await harness.store.digestMessage(messages[0].key)?.deliveredAt != nil)
        #expect(harness.worker.counters.sent == 1)
    }

    @Test func anUndecodablePayloadIsDeadLettered() async throws {
        let telegram = FakeTelegram()
        let harness = DeliveryHarness(telegram: telegram)
        try await harness.queue.push(Data("not a job".utf8), to: .deliver)
        try await harness.enqueueDigests(users: [1])

        try await harness.worker.drain()

        #expect(telegram.requests.count == 1)
        #expect(try await harness.deadLetters().map(\.reason) == ["undecodable delivery job"])
        #expect(harness.worker.counters.failed == 1)
    }

    @Test func runUntilStopsTakingWorkWhenTheConditionHolds() async throws {
        let telegram = FakeTelegram()
        let policy = DeliveryPolicy(globalRate: 0, perChatRate: 0, perGroupPerMinute: 0, concurrency: 1)
        // Condition checked before every receive; one job held at a time.
        let harness = DeliveryHarness(telegram: telegram, policy: policy, conditionInterval: .zero)
        try await harness.enqueueDigests(users: Array(1...50))
        let worker = harness.worker

        try await worker.run(until: { worker.counters.sent >= 10 })

        let sent = worker.counters.sent
        #expect(sent == 10)
        let stats = try await harness.stats()
        #expect(stats.ready == 50 - sent && stats.inFlight == 0)
    }
}
