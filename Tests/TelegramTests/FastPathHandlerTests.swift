import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Telegram

/// The generic ordering of `FastPathHandler`, on an embedded channel: what the exchange takes is
/// answered here, what it hands on reaches the next handler whole and in order, and a failed
/// pending answer closes the connection instead of leaving it hanging.
@Suite struct FastPathHandlerTests {
    /// Takes `/here` (answers 200 with the body's length), `/later` (answers when the test
    /// completes the promise) and `/big` until its body passes 4 bytes; hands on the rest.
    final class Exchange: FastPathExchange {
        struct Reading {
            var head: HTTPRequestHead
            var body = ByteBuffer()
        }

        var reading: Reading?
        var pending: EventLoopPromise<FastPathAnswer>?
        var abandoned = 0

        func begin(_ head: HTTPRequestHead) -> Bool {
            guard ["/here", "/later", "/big"].contains(head.uri) else { return false }
            reading = Reading(head: head)
            return true
        }

        func receive(_ bytes: ByteBuffer) -> [HTTPServerRequestPart]? {
            guard var current = reading else { return nil }
            if current.head.uri == "/big", current.body.readableBytes + bytes.readableBytes > 4 {
                reading = nil
                return [.head(current.head), .body(current.body), .body(bytes)]
            }
            current.body.writeImmutableBuffer(bytes)
            reading = current
            return nil
        }

        func end(on eventLoop: any EventLoop) -> FastPathStep {
            let current = reading
            reading = nil
            guard current?.head.uri == "/later" else { return .answer(Self.ok(current?.body.readableBytes ?? -1)) }
            let promise = eventLoop.makePromise(of: FastPathAnswer.self)
            pending = promise
            return .later(promise.futureResult)
        }

        func abandon() {
            reading = nil
            abandoned += 1
        }

        static func ok(_ length: Int) -> FastPathAnswer {
            FastPathAnswer(head: HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": String(length)]))
        }
    }

    static func head(_ path: String) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: .http1_1, method: .POST, uri: path))
    }

    static func request(_ channel: EmbeddedChannel, _ path: String, body: String = "") throws {
        try channel.writeInbound(head(path))
        if !body.isEmpty { try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: body))) }
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
    }

    /// The statuses written so far, with the content length each carried.
    static func answers(_ channel: EmbeddedChannel) throws -> [String] {
        var answers: [String] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            if case .head(let response) = part { answers.append("\(response.status.code) \(response.headers.first(name: "Content-Length") ?? "-")") }
        }
        return answers
    }

    static func forwardedPaths(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            switch part {
            case .head(let request): parts.append(request.uri)
            case .body(let bytes): parts.append("body \(bytes.readableBytes)")
            case .end: parts.append("end")
            }
        }
        return parts
    }

    @Test func takenRequestsAreAnsweredHereAndOthersGoOnWhole() throws {
        let channel = EmbeddedChannel(handler: FastPathHandler(Exchange()))
        try Self.request(channel, "/here", body: "abc")
        #expect(try Self.answers(channel) == ["200 3"])
        #expect(try Self.forwardedPaths(channel).isEmpty)

        try Self.request(channel, "/big", body: "12345678")
        #expect(try Self.forwardedPaths(channel) == ["/big", "body 0", "body 8", "end"])
        // While the next handler owes an answer, a request it could take goes on too (order).
        try Self.request(channel, "/here", body: "x")
        #expect(try Self.forwardedPaths(channel) == ["/here", "body 1", "end"])
        #expect(try Self.answers(channel).isEmpty)

        // The next handler answers both; the following request is taken here again.
        for _ in 0..<2 {
            try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .accepted)))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }
        #expect(try Self.answers(channel) == ["202 -", "202 -"])
        try Self.request(channel, "/here", body: "xy")
        #expect(try Self.answers(channel) == ["200 2"])
        #expect(try Self.forwardedPaths(channel).isEmpty)
    }

    @Test func partsBehindAPendingAnswerWaitForIt() throws {
        let exchange = Exchange()
        let channel = EmbeddedChannel(handler: FastPathHandler(exchange))
        try Self.request(channel, "/later")
        try Self.request(channel, "/here", body: "abcd")
        try Self.request(channel, "/other")
        #expect(try Self.answers(channel).isEmpty)
        #expect(try Self.forwardedPaths(channel).isEmpty)

        exchange.pending?.succeed(Exchange.ok(99))
        channel.embeddedEventLoop.run()
        #expect(try Self.answers(channel) == ["200 99", "200 4"])
        #expect(try Self.forwardedPaths(channel) == ["/other", "end"])
    }

    @Test func aFailedPendingAnswerClosesTheConnection() throws {
        let exchange = Exchange()
        let channel = EmbeddedChannel(handler: FastPathHandler(exchange))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        #expect(channel.isActive)
        try Self.request(channel, "/later")
        struct Gone: Error {}
        exchange.pending?.fail(Gone())
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
        #expect(try Self.answers(channel).isEmpty)
    }

    @Test func aConnectionLostMidRequestAbandonsIt() throws {
        let exchange = Exchange()
        let channel = EmbeddedChannel(handler: FastPathHandler(exchange))
        try channel.writeInbound(Self.head("/here"))
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "ab")))
        _ = try channel.finish(acceptAlreadyClosed: true)
        #expect(exchange.abandoned == 1)
    }

    /// `value(of:)`: absent nil, names matched without regard to case, repeats joined in order.
    @Test func headerValuesJoinRepeats() throws {
        let headers: HTTPHeaders = ["Content-Length": "12", "X-Telegram-Bot-Api-Secret-Token": "a",
                                    "x-telegram-bot-api-secret-token": "b"]
        #expect(headers.value(of: "content-length") == "12")
        #expect(headers.value(of: "X-TELEGRAM-BOT-API-SECRET-TOKEN") == "a, b")
        #expect(headers.value(of: "Connection") == nil)
    }
}
