import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLiteBackend
import Telegram
import TelegramSim
import Testing
@testable import Chat

/// Two webhook "processes" (two routers with their own database handles) sharing one SQLite
/// file, as several `newsbot bot --webhook` instances share one store behind a load balancer.
@Suite("Two webhook processes")
struct TwoProcessTests {
    struct Process {
        let embedded: SQLiteEmbedded
        let router: UpdateRouter
        let route: WebhookRoute
    }

    static func process(path: String, telegram: any TelegramAPI, leaseWait: Duration = .seconds(10)) async throws -> Process {
        let embedded = try await SQLiteEmbedded.open(url: "sqlite:" + path)
        let router = UpdateRouter(
            configuration: .init(leaseWait: leaseWait, replyLimits: .unlimited), telegram: telegram,
            store: embedded.subscribers, queue: embedded.jobs, states: embedded.conversations,
            limiter: MemoryRateLimiter(), logger: ChatWorld.quietLogger)
        return Process(embedded: embedded, router: router,
                       route: WebhookRoute(router: router, secret: Secret("s3cret"), logger: ChatWorld.quietLogger))
    }

    static func withProcesses(leaseWait: Duration = .seconds(10),
                              _ body: (TelegramSimulator, Process, Process) async throws -> Void) async throws {
        let simulator = TelegramSimulator(configuration: .init(rateLimits: .unlimited), logger: ChatWorld.quietLogger)
        _ = try await simulator.start()
        let telegram = TelegramClient(configuration: simulator.clientConfiguration(), logger: ChatWorld.quietLogger)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chat-2p-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shared.sqlite").path
        let a = try await process(path: path, telegram: telegram, leaseWait: leaseWait)
        let b = try await process(path: path, telegram: telegram, leaseWait: leaseWait)
        do {
            try await body(simulator, a, b)
        } catch {
            await simulator.stop()
            throw error
        }
        await a.embedded.database.close()
        await b.embedded.database.close()
        await simulator.stop()
    }

    @Test func twoUpdatesOfOneUserAtOnceApplyOnceInOrder() async throws {
        try await Self.withProcesses { simulator, a, b in
            let user = TestUpdates.user(TestUpdates.next())
            let s = ChatStrings.forLanguage(.en)
            try await WebhookPost.application(a.route).test(.router) { clientA in
                try await WebhookPost.application(b.route).test(.router) { clientB in
                    // The first reply is slow, so process A still holds the chat when B's update arrives.
                    simulator.setFault(.slow(delay: .milliseconds(400)), forChat: user.id, times: 1)
                    async let first = WebhookPost.send(TestUpdates.message("/subscribe", from: user, updateID: 10), secret: "s3cret", with: clientA)
                    try await Task.sleep(for: .milliseconds(100))
                    async let second = WebhookPost.send(TestUpdates.message("ai", from: user, updateID: 11), secret: "s3cret", with: clientB)
                    #expect(try await [first, second] == [.ok, .ok])

                    // The same update to both at once: one reply.
                    let same = TestUpdates.message("08:00", from: user, updateID: 12)
                    async let x = WebhookPost.send(same, secret: "s3cret", with: clientA)
                    async let y = WebhookPost.send(same, secret: "s3cret", with: clientB)
                    #expect(try await [x, y] == [.ok, .ok])
                }
            }
            #expect(simulator.messages(chatID: user.id).map(\.text) == [s.askTopic, s.askSlot("ai"), s.askZone])
            let state = try #require(try await a.embedded.conversations.load(chatID: user.id)?.state)
            #expect(state.lastUpdateID == 12)
            #expect(state.step == "subscribe.zone" && state.data["topic"] == "ai" && state.data["slot"] == "08:00")
        }
    }

    @Test func manyUsersThroughBothProcessesEachUpdateOnce() async throws {
        try await Self.withProcesses { simulator, a, b in
            let users = (0..<20).map { _ in TestUpdates.user(TestUpdates.next()) }
            try await WebhookPost.application(a.route).test(.router) { clientA in
                try await WebhookPost.application(b.route).test(.router) { clientB in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (index, user) in users.enumerated() {
                            let base = Int64(100 + index * 10)
                            group.addTask {
                                // Each update posted to both processes at once, like a redelivery
                                // racing the original; one user's updates one after another.
                                for (offset, text) in ["/subscribe", "topic \(index)", "09:00"].enumerated() {
                                    let update = TestUpdates.message(text, from: user, updateID: base + Int64(offset))
                                    async let x = WebhookPost.send(update, secret: "s3cret", with: clientA)
                                    async let y = WebhookPost.send(update, secret: "s3cret", with: clientB)
                                    let statuses = try await [x, y]
                                    #expect(statuses == [.ok, .ok])
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            for (index, user) in users.enumerated() {
                #expect(simulator.messages(chatID: user.id).count == 3, "user \(index)")
                let state = try await b.embedded.conversations.load(chatID: user.id)?.state
                #expect(state?.step == "subscribe.zone" && state?.data["topic"] == "topic \(index)")
            }
        }
    }

    @Test func aLeaseLeftByADeadProcessDelaysTheChatOnlyUntilItExpires() async throws {
        try await Self.withProcesses(leaseWait: .milliseconds(300)) { simulator, a, b in
            let user = TestUpdates.user(TestUpdates.next())
            // A process died while applying an update of this chat: its lease lives 3 s more.
            let expiry = Date().addingTimeInterval(3)
            let until = Int64(expiry.timeIntervalSince1970 * 1000)
            _ = try await a.embedded.conversations.save(
                ConversationState(step: "idle", data: ["lease": "dead/7@\(until)"], lastUpdateID: 6),
                chatID: user.id, expectedVersion: nil, ttl: .seconds(3600))
            try await WebhookPost.application(b.route).test(.router) { client async throws in
                let update = TestUpdates.message("/help", from: user, updateID: 7)
                // Telegram is told to come back later (judged only when the answer came well
                // inside the lease: a starved machine may reach it after the lease ran out)…
                let first = try await WebhookPost.send(update, secret: "s3cret", with: client)
                if Date() < expiry.addingTimeInterval(-0.5) {
                    #expect(first == .serviceUnavailable)
                    #expect(simulator.messages(chatID: user.id).isEmpty)
                }
                try await Task.sleep(for: .seconds(max(0, expiry.timeIntervalSinceNow) + 0.5))
                // …and then the redelivery is applied (or, if the first one was, skipped as seen).
                #expect(try await WebhookPost.send(update, secret: "s3cret", with: client) == .ok)
            }
            #expect(simulator.messages(chatID: user.id).count == 1)
            #expect(try await a.embedded.conversations.load(chatID: user.id)?.state.lastUpdateID == 7)
        }
    }
}
