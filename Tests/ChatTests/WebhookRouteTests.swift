import Chat
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Telegram
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

    @Test(arguments: WebhookPost.setups)
    func answersByTheContract(_ setup: TestingSetup) async throws {
        let telegram = RecordingTelegram()
        let user = TestUpdates.user(42)
        let update = try JSONEncoder().encode(TestUpdates.message("/start", from: user, updateID: 1))
        try await WebhookPost.application(Self.route(telegram, maxBody: 4096)).test(setup) { client async throws in
            #expect(try await WebhookPost.send(update, secret: nil, with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "wrong-secret", with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "right-secret-", with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "right-secre", with: client) == .unauthorized)
            #expect(try await WebhookPost.send(update, secret: "right-secreT", with: client) == .unauthorized)
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

    /// One keep-alive connection, requests pipelined: updates answered on the event loop, refusals,
    /// and updates Hummingbird answers (a query string takes the general path) each get their own
    /// answer (a pipelined client matches answers to requests by order), and every update is
    /// applied once. Admission places are given back: 40 requests pass a bound of 2.
    @Test func pipelinedRequestsOnBothPathsGetTheirOwnAnswersInOrder() async throws {
        let telegram = RecordingTelegram()
        let server = try await WebhookTestServer.start(route: Self.route(telegram, maxInFlight: 2, maxBody: 4096))
        defer { server.task.cancel() }
        let client = try PipelinedHTTPClient(configuration: .init(baseURL: String(server.url.dropLast("/telegram/webhook".count)),
                                                                  connections: 1, maxResponseBytes: 1 << 16)!)
        defer { client.shutdown() }
        func request(_ index: Int) throws -> (path: String, secret: String, body: Data, status: Int) {
            let update = try JSONEncoder().encode(TestUpdates.message("/help", from: TestUpdates.user(Int64(index + 1)), updateID: Int64(index + 1)))
            switch index % 5 {
            case 0: return ("/telegram/webhook", "right-secret", update, 200)
            case 1: return ("/telegram/webhook", "wrong-secret", update, 401)
            case 2: return ("/telegram/webhook?via=hummingbird", "right-secret", update, 200)
            case 3: return ("/telegram/webhook", "right-secret", Data("{\"update_id\":".utf8), 400)
            default: return ("/telegram/webhook", "right-secret", Data(repeating: 0x20, count: 5000), 413)
            }
        }
        let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for index in 0..<40 {
                let (path, secret, body, _) = try request(index)
                group.addTask {
                    let response = try await client.post(path: path, contentType: "application/json",
                                                         headers: [SetWebhookRequest.secretTokenHeader: secret],
                                                         body: ByteBuffer(bytes: body), timeout: .seconds(30))
                    return (index, response.status)
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<40 {
            #expect(statuses[index] == (try request(index)).status, "request \(index)")
        }
        let applied: [Int64] = (0..<40).filter { (index: Int) -> Bool in index % 5 == 0 || index % 5 == 2 }
            .map { (index: Int) -> Int64 in Int64(index + 1) }
        #expect(telegram.sent.map(\.chatID).sorted() == applied)
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
            try await telegram.waitUntilHeld(2)
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
    /// a real update afterwards. Through a live server (the event-loop fast path) 2,000 of them:
    /// its plumbing is what that adds, and 10,000 real requests would load the cores under the
    /// timing-sensitive tests that run alongside.
    @Test(arguments: zip(WebhookPost.setups, [10_000, 2_000]))
    func fuzzedBodiesNeverBreakTheRoute(_ setup: TestingSetup, _ count: Int) async throws {
        let telegram = RecordingTelegram()
        let statuses = try await WebhookPost.application(Self.route(telegram)).test(setup) { client async throws in
            var bodies = FuzzBodies(seed: 0x6E65_7773_626F_74)
            var statuses: [Int: Int] = [:]
            for _ in 0..<count {
                let status = try await WebhookPost.send(bodies.body(), secret: "right-secret", with: client)
                statuses[status.code, default: 0] += 1
            }
            let user = TestUpdates.user(777_777)
            let real = TestUpdates.message("/start", from: user, updateID: 10_000_000)
            #expect(try await WebhookPost.send(real, secret: "right-secret", with: client) == .ok)
            return statuses
        }
        #expect(statuses.keys.allSatisfy { (200..<300).contains($0) || (400..<500).contains($0) }, "\(statuses)")
        #expect(statuses[200, default: 0] > count / 100 && statuses[400, default: 0] > count / 2, "\(statuses)")
        #expect(telegram.sent.last?.chatID == 777_777)
    }
}
