import Foundation
import NIOCore
import Testing
@testable import Telegram

/// `sendMessage` and `sendMessageDiscardingResult` over the pipelined connection, against
/// answers written byte for byte: each must classify every failure exactly as the
/// AsyncHTTPClient path does, and no error may carry the bot token.
@Suite struct TelegramClientSendTests {
    typealias Server = ScriptedHTTPServer
    static let token = BotToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")

    static let sent = #"{"ok":true,"result":{"message_id":7,"from":{"id":1,"is_bot":true,"first_name":"B"},"chat":{"id":42,"type":"private"},"date":1,"text":"hi"}}"#

    /// The answer for each chat id the tests send to.
    static let answers: [Int64: Server.Answer] = [
        1: .bytes(Server.response(sent)),
        2: .bytes(Server.response(#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#, status: 429)),
        3: .bytes(Server.response(#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#, status: 403)),
        4: .bytes(Server.response(#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#, status: 400)),
        5: .bytes(Server.response(#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234}}"#, status: 400)),
        6: .bytes(Server.response("<html>Bad Gateway</html>", status: 502)),
        7: .bytes(Server.response(#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#, status: 500)),
        8: .hang,
        9: .close,
        10: .bytes(Server.chunkedResponse(sent)),
        11: .bytes(Server.response(#"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities in 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}"#, status: 400)),
        // A success whose result is not a Message: only the dropping variant accepts it.
        12: .bytes(Server.response(#"{"ok":true,"result":{"unexpected":1}}"#)),
        13: .bytes(Server.response(#"{ "ok" : true, "result" : {"message_id":7,"chat":{"id":13,"type":"private"},"date":1} }"#)),
    ]

    /// - Parameter requestTimeout: long by default, so only an answer that never comes times
    ///   out: a loaded CI machine once stalled a closing connection past a 2 s deadline.
    static func withClient(requestTimeout: Duration = .seconds(30),
                           _ body: (TelegramClient, Server) async throws -> Void) async throws {
        let server = try await Server.start { request in
            let chat = request.body.split(separator: ",")[0].split(separator: ":")[1]
            return answers[Int64(chat)!] ?? .close
        }
        let client = TelegramClient(configuration: .init(baseURL: "http://127.0.0.1:\(server.port)", token: token,
                                                         requestTimeout: requestTimeout, sendConnections: 2),
                                    logger: SimulatorHarness.quietLogger)
        do {
            try await body(client, server)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    static let expected: [Int64: TelegramError?] = [
        1: nil, 2: .tooManyRequests(retryAfter: .seconds(7)), 3: .blocked, 4: .chatNotFound,
        5: .chatMigrated(newChatID: -1001234), 6: .server(status: 502), 7: .server(status: 500), 8: .timeout,
        9: .network, 10: nil, 11: .badRequest("Bad Request: can't parse entities in 123456789:<redacted>"), 13: nil,
    ]

    /// Chat 8's server never answers: it gets a client of its own with a short deadline.
    static let hangingChat: Int64 = 8

    @Test func bothSendsClassifyEveryAnswerAlike() async throws {
        try await Self.withClient { client, server in
            for (chat, expected) in Self.expected.sorted(by: { $0.key < $1.key }) where chat != Self.hangingChat {
                await Self.expectBothSends(client, chat: chat, toFailWith: expected)
            }
            #expect(server.received.allSatisfy { $0.path == "/bot\(Self.token.rawValue)/sendMessage" })
        }
        try await Self.withClient(requestTimeout: .milliseconds(500)) { client, _ in
            await Self.expectBothSends(client, chat: Self.hangingChat, toFailWith: Self.expected[Self.hangingChat]!)
        }
    }

    static func expectBothSends(_ client: TelegramClient, chat: Int64, toFailWith expected: TelegramError?) async {
        let request = SendMessageRequest.html(chatID: chat, text: "hi")
        let full = await SimulatorHarness.error { try await client.sendMessage(request) }
        let dropping = await SimulatorHarness.error { try await client.sendMessageDiscardingResult(request) }
        #expect(full == expected, "sendMessage to chat \(chat)")
        #expect(dropping == expected, "sendMessageDiscardingResult to chat \(chat)")
        for error in [full, dropping].compactMap({ $0 }) {
            #expect(!"\(error)".contains("AAHdqTcv"))
        }
    }

    @Test func sendMessageStillDecodesTheMessage() async throws {
        try await Self.withClient { client, _ in
            let message = try await client.sendMessage(SendMessageRequest(chatID: 1, text: "hi"))
            #expect(message.messageID == 7 && message.chat.id == 42 && message.text == "hi")
            #expect(await SimulatorHarness.error { try await client.sendMessage(SendMessageRequest(chatID: 12, text: "x")) }
                == .invalidResponse)
            try await client.sendMessageDiscardingResult(SendMessageRequest(chatID: 12, text: "x"))
        }
    }

    @Test func successPrefixIsTheFastPath() {
        #expect(TelegramClient.isSuccessObject(.init(string: Self.sent)))
        #expect(!TelegramClient.isSuccessObject(.init(string: #"{"ok":false,"error_code":400}"#)))
        #expect(!TelegramClient.isSuccessObject(.init(string: #"{"ok":true,"result":true}"#)))
    }

    /// The hand-written body reads back, through `JSONDecoder`, as the request it was written
    /// from: escapes, every optional field, and inline keyboards of callback and link buttons.
    @Test(arguments: [
        SendMessageRequest(chatID: 42, text: "plain"),
        SendMessageRequest(chatID: -100123, text: "<b>\"quotes\"</b> \\ / \n\t\u{1} ✓ 😀", parseMode: .html,
                           linkPreviewOptions: LinkPreviewOptions(isDisabled: true, url: "https://e.x/?a=1&b=\"2\""),
                           disableNotification: true,
                           replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [
                               [.callback("Undo \"it\"", data: "u:ai:0800"), .link("Read", url: "https://e.x/a b")],
                               [.callback("Вернуть", data: "t:наука")],
                               [],
                           ])),
        SendMessageRequest(chatID: 7, text: "empty keyboard", replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [])),
    ])
    func handWrittenBodyDecodesToTheSameRequest(_ request: SendMessageRequest) throws {
        let body = TelegramClient.json(request)
        let decoded = try JSONDecoder().decode(SendMessageRequest.self, from: Data(body.readableBytesView))
        #expect(decoded == request)
    }
}
