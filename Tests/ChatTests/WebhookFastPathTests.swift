import Chat
import Core
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Telegram
import Testing

/// What only the event-loop fast path does itself: assembling a body that arrives in chunks
/// (bounded by the body limit even without a declared length) and holding a shutdown's quiesce
/// until the update being applied is answered.
@Suite("Webhook fast path")
struct WebhookFastPathTests {
    static func request(_ update: Update) throws -> String {
        let body = String(decoding: try JSONEncoder().encode(update), as: UTF8.self)
        return "POST /telegram/webhook HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: right-secret\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static func chunked(_ body: String, pieces: Int) -> String {
        let bytes = Array(body.utf8)
        let size = (bytes.count + pieces - 1) / pieces
        var text = "POST /telegram/webhook HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: right-secret\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        for start in stride(from: 0, to: bytes.count, by: size) {
            let piece = bytes[start..<min(start + size, bytes.count)]
            text += String(piece.count, radix: 16) + "\r\n" + String(decoding: piece, as: UTF8.self) + "\r\n"
        }
        return text + "0\r\n\r\n"
    }

    @Test func chunkedBodiesAreAssembledAndBoundedWithoutADeclaredLength() async throws {
        let telegram = RecordingTelegram()
        let server = try await WebhookTestServer.start(route: WebhookRouteTests.route(telegram, maxBody: 4096))
        defer { server.task.cancel() }
        let port = try #require(URLComponents(string: server.url)?.port)
        let connection = try RawHTTPConnection(port: port)
        let first = String(decoding: try JSONEncoder().encode(TestUpdates.message("/help", from: TestUpdates.user(1), updateID: 1)),
                           as: UTF8.self)
        // One write: an update in three chunks, 5,000 bytes in five (over the 4,096 limit), then
        // an ordinary update, which must still be read from where the oversized one ended.
        connection.write(Self.chunked(first, pieces: 3) + Self.chunked(String(repeating: " ", count: 5000), pieces: 5)
                         + (try Self.request(TestUpdates.message("/help", from: TestUpdates.user(2), updateID: 2))))
        #expect(await connection.statuses(3) == [200, 413, 200])
        #expect(telegram.sent.map(\.chatID) == [1, 2])
    }

    /// An update taken by the fast path is applied on its connection's event loop, after every
    /// await too (here a held `sendMessage` released from the test's own task), so its Redis and
    /// Telegram connections can be that loop's.
    @Test func updatesAreAppliedOnTheirConnectionsEventLoop() async throws {
        let telegram = RecordingTelegram(gateOpen: false)
        let server = try await WebhookTestServer.start(route: WebhookRouteTests.route(telegram))
        defer { server.task.cancel() }
        let port = try #require(URLComponents(string: server.url)?.port)
        // Two connections: one connection's second update would wait for its first's answer.
        let connections = try (1...2).map { _ in try RawHTTPConnection(port: port) }
        for (index, connection) in connections.enumerated() {
            connection.write(try Self.request(TestUpdates.message("/help", from: TestUpdates.user(Int64(index + 1)),
                                                                  updateID: Int64(index + 1))))
        }
        try await telegram.waitUntilHeld(2)
        telegram.openGate()
        for connection in connections { #expect(await connection.statuses(1) == [200]) }
        #expect(telegram.sentOnEventLoop == [true, true])
    }

    /// What the fast path leaves to Hummingbird is answered alike: an HTTP/1.0 update is applied,
    /// and a repeated secret header (a right copy and a wrong one) is refused on both paths.
    @Test func requestsLeftToHummingbirdAreAnsweredAlike() async throws {
        let telegram = RecordingTelegram()
        let server = try await WebhookTestServer.start(route: WebhookRouteTests.route(telegram))
        defer { server.task.cancel() }
        let port = try #require(URLComponents(string: server.url)?.port)
        let old = try RawHTTPConnection(port: port)
        old.write(try Self.request(TestUpdates.message("/help", from: TestUpdates.user(4), updateID: 1))
            .replacingOccurrences(of: " HTTP/1.1\r\n", with: " HTTP/1.0\r\n"))
        #expect(await old.statuses(1) == [200])
        #expect(telegram.sent.map(\.chatID) == [4])

        let repeated = try Self.request(TestUpdates.message("/help", from: TestUpdates.user(5), updateID: 1))
            .replacingOccurrences(of: "X-Telegram-Bot-Api-Secret-Token: right-secret\r\n",
                                  with: "X-Telegram-Bot-Api-Secret-Token: right-secret\r\nX-Telegram-Bot-Api-Secret-Token: wrong\r\n")
        let fast = try RawHTTPConnection(port: port)
        fast.write(repeated)
        #expect(await fast.statuses(1) == [401])
        let slow = try RawHTTPConnection(port: port)
        slow.write(repeated.replacingOccurrences(of: " HTTP/1.1\r\n", with: " HTTP/1.0\r\n"))
        #expect(await slow.statuses(1) == [401])
        #expect(telegram.sent.map(\.chatID) == [4])
    }

    /// A connection that goes away in the middle of a body gives its admission place back: with
    /// room for one update, the next one is applied instead of refused with 503.
    @Test func aConnectionLostMidBodyGivesItsPlaceBack() async throws {
        let telegram = RecordingTelegram()
        let server = try await WebhookTestServer.start(route: WebhookRouteTests.route(telegram, maxInFlight: 1))
        defer { server.task.cancel() }
        let port = try #require(URLComponents(string: server.url)?.port)
        for _ in 0..<3 {
            let lost = try RawHTTPConnection(port: port)
            lost.write("POST /telegram/webhook HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: right-secret\r\n"
                       + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"update_id\":")
            lost.close()
        }
        // The server hears of the closed connections in its own time: until then the place is
        // rightly taken (503). With the place leaked, 503 would never end.
        var statuses: [Int] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while statuses != [200], ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let connection = try RawHTTPConnection(port: port)
            connection.write(try Self.request(TestUpdates.message("/help", from: TestUpdates.user(3), updateID: 1)))
            statuses = await connection.statuses(1)
        }
        #expect(statuses == [200])
        #expect(telegram.sent.map(\.chatID) == [3])
    }

    @Test func aGracefulShutdownWaitsForTheUpdateBeingApplied() async throws {
        let telegram = RecordingTelegram(gateOpen: false)
        defer { telegram.openGate() }
        let route = WebhookRouteTests.route(telegram)
        let router = Router()
        route.register(on: router)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, server: route.server(),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portSink.yield($0.localAddress?.port ?? 0); portSink.finish() },
                              logger: ChatWorld.quietLogger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: ChatWorld.quietLogger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        let connection = try RawHTTPConnection(port: port)
        connection.write(try Self.request(TestUpdates.message("/help", from: TestUpdates.user(7), updateID: 1)))
        try await telegram.waitUntilHeld(1)

        await group.triggerGracefulShutdown()
        try await Task.sleep(for: .milliseconds(200))
        telegram.openGate()
        // The connection stayed open for the answer: Telegram hears the update was applied.
        #expect(await connection.statuses(1) == [200])
        try await running.value
        #expect(telegram.sent.map(\.chatID) == [7])
    }
}
