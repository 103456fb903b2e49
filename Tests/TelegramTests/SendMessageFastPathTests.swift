import Foundation
import NIOCore
import Testing
@testable import Telegram
import TelegramSim

/// The simulator answers plain `sendMessage` bodies on the event loop and everything else
/// through Hummingbird: pipelined on one connection, every answer must still reach its own
/// request, in order, and a `.slow` fault must hold the answers behind it.
@Suite struct SendMessageFastPathTests {
    typealias Harness = SimulatorHarness

    static func connection(_ simulator: TelegramSimulator) throws -> PipelinedHTTPClient {
        try PipelinedHTTPClient(configuration: .init(baseURL: simulator.clientConfiguration().baseURL, connections: 1,
                                                     maxResponseBytes: 1 << 20)!)
    }

    static let token = TelegramSimulator.Configuration.defaultToken.rawValue

    /// A send in the client's layout (fast path), a send with its keys in another order and a
    /// getMe (both Hummingbird), by index.
    static func request(_ index: Int) -> (path: String, body: String) {
        switch index % 3 {
        case 0: ("/bot\(token)/sendMessage", #"{"chat_id":\#(index),"text":"plain \#(index)"}"#)
        case 1: ("/bot\(token)/sendMessage",
                 #"{"text":"keyboard \#(index)","chat_id":\#(index),"reply_markup":{"inline_keyboard":[[{"text":"b","callback_data":"c"}]]}}"#)
        default: ("/bot\(token)/getMe", "{}")
        }
    }

    @Test func mixedPipelinedRequestsGetTheirOwnAnswersInOrder() async throws {
        try await Harness.with { simulator, _ in
            let client = try Self.connection(simulator)
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<30 {
                    let (path, body) = Self.request(index)
                    group.addTask {
                        let response = try await client.post(path: path, contentType: "application/json",
                                                             body: ByteBuffer(string: body), timeout: .seconds(10))
                        return (index, String(buffer: response.body))
                    }
                }
                return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
            }
            for index in 0..<30 {
                let answer = try #require(answers[index])
                switch index % 3 {
                case 0: #expect(answer.contains(#""text":"plain \#(index)""#) && answer.contains(#""chat":{"id":\#(index),"#))
                case 1: #expect(answer.contains(#""text":"keyboard \#(index)""#) && answer.contains("inline_keyboard"))
                default: #expect(answer.contains(#""is_bot":true"#) && !answer.contains("message_id"))
                }
            }
            #expect(simulator.stats().accepted == 20)
        }
    }

    @Test func slowFaultHoldsTheAnswersBehindIt() async throws {
        try await Harness.with { simulator, _ in
            let client = try Self.connection(simulator)
            simulator.setFault(.slow(delay: .milliseconds(300)), forChat: 1, times: 1)
            let started = ContinuousClock.now
            async let slow = client.post(path: "/bot\(Self.token)/sendMessage", contentType: "application/json",
                                         body: ByteBuffer(string: #"{"chat_id":1,"text":"slow"}"#), timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(50))
            let fast = try await client.post(path: "/bot\(Self.token)/sendMessage", contentType: "application/json",
                                             body: ByteBuffer(string: #"{"chat_id":2,"text":"behind"}"#), timeout: .seconds(10))
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(String(buffer: fast.body).contains(#""text":"behind""#))
            #expect(String(buffer: try await slow.body).contains(#""text":"slow""#))
            #expect(simulator.messages(chatID: 1).count == 1 && simulator.messages(chatID: 2).count == 1)
        }
    }

    @Test func rejectionsOnTheFastPathMatchTheGeneralPath() async throws {
        try await Harness.with { simulator, client in
            // Empty text: the client's layout (fast path) and a send with `disable_notification`
            // (a field the fast path leaves to Hummingbird) reject alike.
            let plain = await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: 1, text: "")) }
            let keyboard = await Harness.error {
                try await client.sendMessage(SendMessageRequest(chatID: 1, text: "", disableNotification: true,
                                                                replyMarkup: InlineKeyboardMarkup(
                    inlineKeyboard: [[InlineKeyboardButton(text: "b", callbackData: "c")]])))
            }
            #expect(plain == keyboard)
            guard case .badRequest(let text) = plain else {
                Issue.record("expected a bad request, got \(String(describing: plain))")
                return
            }
            #expect(text.contains("text is empty"))
        }
    }

    /// A reply with a keyboard, in the client's layout, is answered on the fast path with the
    /// same message the general path gives: its buttons in the answer and in the record.
    @Test func keyboardsTakeTheFastPathAndKeepTheirButtons() async throws {
        try await Harness.with { simulator, client in
            let markup = InlineKeyboardMarkup(inlineKeyboard: [
                [.callback("Undo \"ai\"", data: "u:ai"), .link("Site", url: "https://e.x/?a=1&b=2")],
                [.callback("Ещё", data: "t:наука")],
            ])
            let fast = try await client.sendMessage(SendMessageRequest(chatID: 5, text: "with buttons", replyMarkup: markup))
            let general = try await client.sendMessage(SendMessageRequest(chatID: 5, text: "with buttons",
                                                                          disableNotification: false, replyMarkup: markup))
            #expect(fast.replyMarkup == markup)
            #expect(general.replyMarkup == markup)
            #expect(fast.text == general.text && fast.chat == general.chat && fast.from == general.from)
            #expect(simulator.messages(chatID: 5).map(\.replyMarkup) == [markup, markup])
        }
    }
}
