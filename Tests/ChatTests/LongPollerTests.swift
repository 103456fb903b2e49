import Chat
import Core
import Foundation
import Telegram
import TelegramSim
import SQLiteBackend
import Testing

/// Offsets across restarts, backoff, and the 409 exit.
@Suite("Long poller")
struct LongPollerTests {
    @Test func aRestartNeitherLosesNorRepeatsUpdates() async throws {
        try await ChatWorld.with(.polling) { world in
            let user = TestUpdates.user(TestUpdates.next())
            for _ in 0..<3 { try world.simulator.injectUpdate(TestUpdates.message("/help", from: user)) }
            try await world.waitUntilTaken()
            #expect(world.simulator.messages(chatID: user.id).count == 3)
            await world.stop()
            // Sent while the bot is down: kept by Telegram, read after the restart.
            for _ in 0..<2 { try world.simulator.injectUpdate(TestUpdates.message("/help", from: user)) }
            try await world.start()
            try await world.waitUntilTaken()
            #expect(world.simulator.messages(chatID: user.id).count == 5)
            #expect(world.simulator.stats().updatesDelivered == 5)
        }
    }

    @Test func errorsBackOffAndUpdatesStillArrive() async throws {
        let user = TestUpdates.user(5)
        let telegram = RecordingTelegram(updates: [
            .failure(.server(status: 502)), .failure(.timeout), .failure(.network),
            .success([TestUpdates.message("/help", from: user, updateID: 1), TestUpdates.message("/start", from: user, updateID: 2)]),
        ])
        let states = MemoryConversationStateStore()
        let router = UpdateRouter(configuration: .init(replyLimits: .unlimited), telegram: telegram, store: MemorySubscriberStore(),
                                  queue: MemoryJobQueue(), states: states,
                                  limiter: MemoryRateLimiter(), logger: ChatWorld.quietLogger)
        let poller = LongPoller(configuration: .init(timeout: 0, baseBackoff: .milliseconds(5)), router: router,
                                telegram: telegram, states: states, logger: ChatWorld.quietLogger)
        let task = Task { try await poller.run() }
        defer { task.cancel() }  // also when the wait fails
        try await telegram.waitForGetUpdatesCalls(6)
        task.cancel()
        _ = await task.result
        #expect(telegram.sent.count == 2)
        let offsets = telegram.getUpdatesCalls.map(\.offset)
        #expect(offsets.prefix(4).allSatisfy { $0 == nil })
        #expect(offsets.dropFirst(4).allSatisfy { $0 == 3 })
        #expect(telegram.getUpdatesCalls.first?.allowedUpdates == ["message", "callback_query", "my_chat_member"])
    }

    @Test func anotherPollerOrAWebhookEndsPollingWithAClearError() async throws {
        try await ChatWorld.with(.webhook) { world in
            let poller = LongPoller(configuration: .init(timeout: 0), router: world.router, telegram: world.telegram,
                                    states: world.embedded.conversations, logger: ChatWorld.quietLogger)
            await #expect(throws: ChatError.pollingConflict) { try await poller.run() }
            #expect(ChatError.pollingConflict.description.contains("--webhook"))
        }
    }

    @Test func anUpdateThatFailsIsReadAgainNotSkipped() async throws {
        let user = TestUpdates.user(6)
        let batch = [TestUpdates.message("/help", from: user, updateID: 1), TestUpdates.message("/start", from: user, updateID: 2)]
        let telegram = RecordingTelegram(updates: [.success(batch), .success(batch)])
        let states = FlakyStateStore(failures: 1)
        let router = UpdateRouter(configuration: .init(replyLimits: .unlimited), telegram: telegram, store: MemorySubscriberStore(),
                                  queue: MemoryJobQueue(), states: states,
                                  limiter: MemoryRateLimiter(), logger: ChatWorld.quietLogger)
        let poller = LongPoller(configuration: .init(timeout: 0, baseBackoff: .milliseconds(5)), router: router,
                                telegram: telegram, states: MemoryConversationStateStore(), logger: ChatWorld.quietLogger)
        let task = Task { try await poller.run() }
        defer { task.cancel() }  // also when the wait fails
        try await telegram.waitForGetUpdatesCalls(4)
        task.cancel()
        _ = await task.result
        // The first attempt at update 1 failed: the offset stayed, the batch came again, and
        // each update was answered exactly once.
        #expect(telegram.getUpdatesCalls.map(\.offset).prefix(3) == [nil, nil, 3])
        #expect(telegram.sent.count == 2)
    }
}
