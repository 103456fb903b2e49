import Chat
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Telegram
import Testing

/// The webhook contract: 401 / 400 / 413 / 503 / 200, and a fuzz run.
@Suite("Webhook route")
struct WebhookRouteTests {
    static func router(_ telegram: RecordingTelegram) -> UpdateRouter {
        UpdateRouter(configuration: .init(replyLimits: .unlimited), telegram: telegram, store: MemorySubscriberStore(),
                     queue: MemoryJobQueue(), states: MemoryConversationStateStore(),
                     limiter: MemoryRateLimiter(), logger: ChatWorld.quietLogger)
    }

    static func route(_ telegram: RecordingTelegram, maxInFlight: Int = 512, maxBody: Int = 1 << 20) -> WebhookRoute {
        WebhookRoute(configuration: .init(maxBodyBytes: maxBody, maxInFlight: maxInFlight), router: router(telegram),
                     secret: Secret("right-secret"), logger: ChatWorld.quietLogger)
    }

    @Test func answersByTheContract() async throws {
        let telegram = RecordingTelegram()
        let user = TestUpdates.user(42)
        let update = try JSONEncoder().encode(TestUpdates.message("/start", from: user, updateID: 1))
        try await WebhookPost.application(Self.route(telegram, maxBody: 4096)).test(.router) { client async throws in
            #expect(try await WebhookPost.send(update, secret: nil, with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "wrong-secret", with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "right-secret-", with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "", with: client) == .unauthorized)
            #expect(telegram.sent.isEmpty)

            #expect(try await WebhookPost.send(Data("not json".utf8), secret: "right-secret", with: client) == .badRequest)
            #expect(try await WebhookPost.send(Data("[1,2]".utf8), secret: "right-secret", with: client) == .badRequest)
            #expect(try await WebhookPost.send(Data(#"{"message":{}}"#.utf8), secret: "right-secret", with: client) == .badRequest)
            #expect(try await WebhookPost.send(Data(repeating: 0x20, count: 5000), secret: "right-secret", with: client) == .contentTooLarge)

            #expect(try await WebhookPost.send(Data(#"{"update_id":9,"message_reaction":{}}"#.utf8), secret: "right-secret", with: client) == .ok)
            #expect(try await WebhookPost.send(update, secret: "right-secret", with: client) == .ok)
            #expect(try await WebhookPost.send(update, secret: "right-secret", with: client) == .ok)
            #expect(telegram.sent.count == 1)
            #expect(telegram.sent.first?.chatID == 42)
        }
    }

    @Test func beyondItsBoundItRefusesAtOnceSoTelegramRetries() async throws {
        let telegram = RecordingTelegram(gateOpen: false)
        try await WebhookPost.application(Self.route(telegram, maxInFlight: 2)).test(.router) { client async throws in
            async let first = WebhookPost.send(TestUpdates.message("/help", from: TestUpdates.user(1), updateID: 1),
                                               secret: "right-secret", with: client)
            async let second = WebhookPost.send(TestUpdates.message("/help", from: TestUpdates.user(2), updateID: 2),
                                                secret: "right-secret", with: client)
            defer { telegram.openGate() }  // never leave the held sends waiting, even on failure
            // Both are held in sendMessage; only then can a third find no room (sent earlier it
            // could take a free slot and wait at the gate forever).
            let deadline = ContinuousClock.now + .seconds(30)  // a hang guard: generous for a loaded machine
            while telegram.held < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            try #require(telegram.held == 2, "the first two updates never reached sendMessage")
            let third = try await WebhookPost.send(TestUpdates.message("/help", from: TestUpdates.user(3), updateID: 3),
                                                   secret: "right-secret", with: client)
            #expect(third == .serviceUnavailable)
            telegram.openGate()
            #expect(try await [first, second] == [.ok, .ok])
            // Room again.
            #expect(try await WebhookPost.send(TestUpdates.message("/help", from: TestUpdates.user(3), updateID: 4),
                                               secret: "right-secret", with: client) == .ok)
        }
        #expect(Set(telegram.sent.map(\.chatID)) == [1, 2, 3])
    }

    /// At least 10,000 random and malformed bodies: only 2xx and 4xx, and the route still serves
    /// a real update afterwards.
    @Test func fuzzedBodiesNeverBreakTheRoute() async throws {
        let telegram = RecordingTelegram()
        let statuses = try await WebhookPost.application(Self.route(telegram)).test(.router) { client async throws in
            var bodies = FuzzBodies(seed: 0x6E65_7773_626F_74)
            var statuses: [Int: Int] = [:]
            for _ in 0..<10_000 {
                let status = try await WebhookPost.send(bodies.body(), secret: "right-secret", with: client)
                statuses[status.code, default: 0] += 1
            }
            let user = TestUpdates.user(777_777)
            let real = TestUpdates.message("/start", from: user, updateID: 10_000_000)
            #expect(try await WebhookPost.send(real, secret: "right-secret", with: client) == .ok)
            return statuses
        }
        #expect(statuses.keys.allSatisfy { (200..<300).contains($0) || (400..<500).contains($0) }, "\(statuses)")
        #expect(statuses[200, default: 0] > 100 && statuses[400, default: 0] > 5_000, "\(statuses)")
        #expect(telegram.sent.last?.chatID == 777_777)
    }
}
