import Foundation
import Testing

@testable import Telegram
@testable import TelegramSim

/// Incoming updates through the simulator: getUpdates offsets, long polls, the 409
/// rules, webhook settings and webhook delivery.
@Suite struct TelegramSimulatorUpdatesTests {
    typealias Harness = SimulatorHarness

    static func textUpdate(_ text: String, chat: Int64 = 1) -> Update {
        Update(updateID: 0, message: Message(
            messageID: 1, from: User(id: chat, firstName: "U"), chat: Chat(id: chat, type: .private), date: 1,
            text: text))
    }

    @Test func getUpdatesOffsetConfirmsEarlierUpdates() async throws {
        try await Harness.with { simulator, client in
            let ids = try ["a", "b", "c"].map { try simulator.injectUpdate(Self.textUpdate($0)) }
            #expect(ids == [1, 2, 3])
            #expect(try await client.getUpdates(GetUpdatesRequest()).map(\.updateID) == [1, 2, 3])
            // Without a higher offset nothing is confirmed: the same updates come again.
            #expect(try await client.getUpdates(GetUpdatesRequest(timeout: 0)).count == 3)
            #expect(try await client.getUpdates(GetUpdatesRequest(offset: 2)).map(\.updateID) == [2, 3])
            #expect(try await client.getUpdates(GetUpdatesRequest()).map(\.updateID) == [2, 3])  // 1 is forgotten
            #expect(try await client.getUpdates(GetUpdatesRequest(offset: 4)).isEmpty)
            #expect(simulator.stats().updatesDelivered == 3)

            try simulator.injectUpdate(Self.textUpdate("d"))
            try simulator.injectUpdate(Self.textUpdate("e"))
            try simulator.injectUpdate(Self.textUpdate("f"))
            #expect(try await client.getUpdates(GetUpdatesRequest(offset: 4, limit: 1)).map(\.updateID) == [4])
            // A negative offset keeps only the newest updates.
            #expect(try await client.getUpdates(GetUpdatesRequest(offset: -1)).map(\.updateID) == [6])
            #expect(try await client.getUpdates(GetUpdatesRequest()).map { $0.message?.text } == ["f"])
            // An explicit update id is kept, and numbering continues after it.
            #expect(try simulator.injectUpdate(Update(updateID: 100, message: Self.textUpdate("g").message)) == 100)
            #expect(try simulator.injectUpdate(Self.textUpdate("h")) == 101)
        }
    }

    @Test func longPollReturnsAsSoonAsAnUpdateArrives() async throws {
        try await Harness.with { simulator, client in
            let start = ContinuousClock.now
            let poll = Task { try await client.getUpdates(GetUpdatesRequest(timeout: 10)) }
            try await Task.sleep(for: .milliseconds(200))
            try simulator.injectUpdate(Self.textUpdate("/start"))
            let updates = try await poll.value
            #expect(updates.map { $0.message?.text } == ["/start"])
            #expect(ContinuousClock.now - start < .seconds(25))

            let emptyStart = ContinuousClock.now
            #expect(try await client.getUpdates(GetUpdatesRequest(offset: updates[0].updateID + 1, timeout: 1)).isEmpty)
            #expect(ContinuousClock.now - emptyStart >= .milliseconds(900))
        }
    }

    @Test func secondPollerTerminatesTheFirstWith409() async throws {
        try await Harness.with { simulator, client in
            let first = Task { await Harness.error { try await client.getUpdates(GetUpdatesRequest(timeout: 10)) } }
            try await Harness.waitForLongPoll(simulator)
            let second = try await client.getUpdates(GetUpdatesRequest(timeout: 1))
            #expect(second.isEmpty)
            #expect(await first.value == .conflict)
            #expect(simulator.stats().conflicts == 1)
        }
    }

    @Test func webhookAndPollingExcludeEachOther() async throws {
        try await Harness.with { simulator, client in
            let waiting = Task { await Harness.error { try await client.getUpdates(GetUpdatesRequest(timeout: 10)) } }
            try await Harness.waitForLongPoll(simulator)
            try await client.setWebhook(SetWebhookRequest(url: "http://127.0.0.1:9/hook", secretToken: "abc"))
            #expect(await waiting.value == .conflict)
            #expect(await Harness.error { try await client.getUpdates(GetUpdatesRequest()) } == .conflict)
            #expect(simulator.webhookInfo().url == "http://127.0.0.1:9/hook")
            try await client.deleteWebhook(dropPendingUpdates: false)
            #expect(try await client.getUpdates(GetUpdatesRequest()).isEmpty)
            #expect(simulator.webhookInfo().url.isEmpty)
        }
    }

    @Test func setWebhookValidatesSecretAndURL() async throws {
        try await Harness.with { simulator, client in
            func rejection(_ request: SetWebhookRequest) async -> TelegramError? {
                await Harness.error { try await client.setWebhook(request) }
            }
            let url = "https://bot.example/telegram/webhook"
            #expect(await rejection(SetWebhookRequest(url: url, secretToken: "has space"))
                == .badRequest("Bad Request: secret token contains unallowed characters"))
            #expect(await rejection(SetWebhookRequest(url: url, secretToken: "dot.ted"))
                == .badRequest("Bad Request: secret token contains unallowed characters"))
            #expect(await rejection(SetWebhookRequest(url: url, secretToken: String(repeating: "a", count: 257)))
                == .badRequest("Bad Request: secret token is too long"))
            #expect(await rejection(SetWebhookRequest(url: "ftp://bot.example/hook"))?.description.contains("bad webhook") == true)
            #expect(await rejection(SetWebhookRequest(url: url, maxConnections: 0))?.description.contains("max_connections") == true)
            #expect(simulator.webhookInfo().url.isEmpty)
            try await client.setWebhook(SetWebhookRequest(
                url: url, secretToken: String(repeating: "Z", count: 256) , allowedUpdates: ["message", "callback_query"]))
            #expect(simulator.webhookInfo().url == url)
            #expect(simulator.webhookInfo().allowedUpdates == ["message", "callback_query"])
        }
    }

    @Test func webhookReceivesUpdatesWithSecretAndRetriesFailures() async throws {
        let receiver = WebhookReceiver(failFirst: 1)
        let url = try await receiver.start()
        var configuration = TelegramSimulator.Configuration()
        configuration.webhookRetryDelay = .milliseconds(50)
        try await Harness.with(configuration) { simulator, client in
            try await client.setWebhook(SetWebhookRequest(url: url, secretToken: "s3cr3t_-X"))
            let first = try simulator.injectUpdate(Self.textUpdate("hello", chat: 77))
            let second = try simulator.injectUpdate(json: Data(#"{"poll": {"id": "p1", "question": "?", "options": []}}"#.utf8))
            let calls = await receiver.waitForCalls(2)
            try #require(calls.count == 2)
            #expect(calls.allSatisfy { $0.secret == "s3cr3t_-X" })
            let updates = try calls.map { try JSONDecoder().decode(Update.self, from: Data($0.body.utf8)) }
            #expect(updates.map(\.updateID) == [first, second])  // in order, despite the failed first try
            #expect(updates[0].message?.text == "hello" && updates[0].chatID == 77)
            #expect(!updates[1].isKnownKind)  // unknown kinds pass through untouched
            #expect(calls[1].body.contains("\"question\""))
            // The simulator confirms an update once the endpoint's answer is in.
            let deadline = ContinuousClock.now + .seconds(5)
            while simulator.webhookInfo().pendingUpdateCount > 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let stats = simulator.stats()
            #expect(stats.webhookFailures == 1)
            #expect(stats.updatesDelivered == 2)
            let info = simulator.webhookInfo()
            #expect(info.pendingUpdateCount == 0)
            #expect(info.lastErrorMessage?.contains("500") == true)
        }
        await receiver.stop()
    }

    @Test func allowedUpdatesFilterAndUnknownKindsViaPolling() async throws {
        try await Harness.with { simulator, client in
            _ = try await client.getUpdates(GetUpdatesRequest(allowedUpdates: ["message"]))
            try simulator.injectUpdate(json: Data(#"{"callback_query": {"id": "q", "from": {"id": 1, "is_bot": false, "first_name": "a"}, "chat_instance": "c"}}"#.utf8))
            try simulator.injectUpdate(Self.textUpdate("kept"))
            #expect(try await client.getUpdates(GetUpdatesRequest()).map { $0.message?.text } == ["kept"])
            _ = try await client.getUpdates(GetUpdatesRequest(offset: 100, allowedUpdates: []))
            let id = try simulator.injectUpdate(json: Data(#"{"business_connection": {"id": "b"}}"#.utf8))
            let updates = try await client.getUpdates(GetUpdatesRequest())
            #expect(updates.map(\.updateID) == [id])
            #expect(updates.first?.isKnownKind == false)
            // chat_member must be asked for explicitly, as with Telegram.
            try simulator.injectUpdate(json: Data(#"{"chat_member": {}}"#.utf8))
            #expect(try await client.getUpdates(GetUpdatesRequest(offset: id + 1)).isEmpty)
        }
    }
}
