import Foundation
import Testing

@testable import Telegram
@testable import TelegramSim

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The simulator over plain HTTP: the control API (`/sim/…`) used by scripts and load
/// tests, and Bot API requests in the shapes other clients send (form bodies, string
/// ids, the exact 429 envelope).
@Suite struct TelegramSimulatorControlAPITests {
    typealias Harness = SimulatorHarness

    struct HTTPAnswer {
        var status: Int
        var body: Data
        func json() throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: body) as? [String: Any])
        }
    }

    static func call(
        _ simulator: TelegramSimulator, _ method: String, _ path: String, body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> HTTPAnswer {
        var request = URLRequest(url: try #require(URL(string: simulator.baseURL + path)))
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return HTTPAnswer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    static var botPath: String { "/bot\(TelegramSimulator.Configuration.defaultToken.rawValue)" }

    static let controlDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    @Test func faultsMessagesStatsAndResetOverHTTP() async throws {
        try await Harness.with { simulator, client in
            #expect(try await Self.call(simulator, "POST", "/sim/faults", body: #"{"chat_id": 7, "fault": "blocked"}"#).status == 200)
            #expect(try await Self.call(simulator, "POST", "/sim/faults",
                                        body: #"{"chat_id": 8, "fault": "server_error", "status": 503, "times": 1}"#).status == 200)
            #expect(try await Self.call(simulator, "POST", "/sim/faults", body: #"{"fault": "melted"}"#).status == 400)
            #expect(await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: 7, text: "x")) } == .blocked)
            #expect(await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: 8, text: "x")) }
                == .server(status: 503))
            _ = try await Self.call(simulator, "POST", "/sim/faults", body: #"{"fault": "none"}"#)
            _ = try await client.sendMessage(.html(chatID: 7, text: "<b>now</b> fine"))

            let messages = try Self.controlDecoder.decode(
                [SimulatedMessage].self, from: try await Self.call(simulator, "GET", "/sim/messages?chat_id=7").body)
            #expect(messages.map(\.text) == ["<b>now</b> fine"])
            #expect(messages.first?.parseMode == .html)
            #expect(try await Self.call(simulator, "GET", "/sim/messages?chat_id=8").body == Data("[]".utf8))

            let stats = try Self.controlDecoder.decode(
                SimulatorStats.self, from: try await Self.call(simulator, "GET", "/sim/stats").body)
            #expect(stats.accepted == 1 && stats.faultsAnswered == 2)
            #expect(stats.chats.map(\.chatID) == [7])

            #expect(try await Self.call(simulator, "POST", "/sim/reset").status == 200)
            #expect(simulator.stats() == SimulatorStats())
            #expect(simulator.messages().isEmpty)
        }
    }

    @Test func updatesAndLimitsOverHTTP() async throws {
        try await Harness.with { simulator, client in
            let injected = try await Self.call(simulator, "POST", "/sim/updates", body: """
                [{"message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": "/start"}},
                 {"update_id": 50, "message": {"message_id": 2, "date": 1, "chat": {"id": 5, "type": "private"}, "text": "/help"}}]
                """)
            #expect(injected.status == 200)
            #expect(try JSONSerialization.jsonObject(with: injected.body) as? [Int] == [1, 50])
            #expect(try await client.getUpdates(GetUpdatesRequest()).map { $0.message?.text } == ["/start", "/help"])
            #expect(try await Self.call(simulator, "POST", "/sim/updates", body: "[1, 2]").status == 400)

            let limits = try await Self.call(simulator, "POST", "/sim/limits",
                                             body: #"{"global_per_second": 0, "per_chat_per_second": 0, "per_group_per_minute": 0}"#)
            #expect(limits.status == 200)
            #expect(simulator.rateLimits == .unlimited)
            for _ in 0..<5 { _ = try await client.sendMessage(SendMessageRequest(chatID: 3, text: "burst")) }
            // A burst one chat's 1 msg/s would refuse: all accepted (how many fell within one
            // second depends on the machine's load, so only the outcome is checked).
            #expect(simulator.messages(chatID: 3).count == 5)
            #expect(simulator.stats(includeChats: false).tooManyRequests == 0)
        }
    }

    @Test func botAPIAcceptsFormBodiesQueryStringsAndStringIDs() async throws {
        try await Harness.with(TelegramSimulator.Configuration(rateLimits: .unlimited)) { simulator, _ in
            let markup = #"{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}"#
            let allowed = CharacterSet.alphanumerics
            let form = "chat_id=12&text=" + "Hello <b>you</b> & me".addingPercentEncoding(withAllowedCharacters: allowed)!
                .replacingOccurrences(of: "%20", with: "+")
                + "&parse_mode=HTML&disable_web_page_preview=true&reply_markup="
                + markup.addingPercentEncoding(withAllowedCharacters: allowed)!
            let answer = try await Self.call(
                simulator, "POST", Self.botPath + "/sendMessage", body: form,
                contentType: "application/x-www-form-urlencoded")
            // "&" unescaped in HTML mode: rejected, like a renderer bug would be.
            #expect(answer.status == 400)
            #expect((try answer.json()["description"] as? String)?.hasPrefix("Bad Request: can't parse entities") == true)

            let fixed = form.replacingOccurrences(of: "%26", with: "%26amp%3B")
            let accepted = try await Self.call(
                simulator, "POST", Self.botPath + "/sendMessage", body: fixed,
                contentType: "application/x-www-form-urlencoded")
            #expect(accepted.status == 200)
            let recorded = try #require(simulator.messages(chatID: 12).first)
            #expect(recorded.text == "Hello <b>you</b> &amp; me")
            #expect(recorded.linkPreviewsDisabled)
            #expect(recorded.replyMarkup?.inlineKeyboard.first?.first?.callbackData == "go")

            let stringID = try await Self.call(
                simulator, "POST", Self.botPath + "/sendMessage", body: #"{"chat_id": "13", "text": "hi"}"#)
            #expect(stringID.status == 200)
            #expect(simulator.messages(chatID: 13).count == 1)

            let missing = try await Self.call(simulator, "POST", Self.botPath + "/sendMessage", body: #"{"text": "hi"}"#)
            #expect(try missing.json()["description"] as? String == "Bad Request: chat_id is empty")

            let me = try await Self.call(simulator, "GET", Self.botPath + "/getMe")
            #expect(me.status == 200)
            let viaQuery = try await Self.call(simulator, "GET", Self.botPath + "/sendMessage?chat_id=14&text=q")
            #expect(viaQuery.status == 200)
            let unknown = try await Self.call(simulator, "POST", Self.botPath + "/sendSticker", body: "{}")
            #expect(unknown.status == 404)
            #expect(try unknown.json()["description"] as? String == "Not Found")
            let badToken = try await Self.call(simulator, "POST", "/bot1:nope/getMe", body: "{}")
            #expect(badToken.status == 401)
            #expect(try badToken.json()["error_code"] as? Int == 401)
        }
    }

    @Test func tooManyRequestsEnvelopeIsExactlyTelegrams() async throws {
        // No per-chat burst: the second message at once is refused.
        try await Harness.with(TelegramSimulator.Configuration(rateLimits: SimulatorRateLimits(perChatBurst: 1))) { simulator, _ in
            try await Harness.withinWindow(.seconds(1)) { attempt in
                let body = #"{"chat_id": \#(1 + attempt), "text": "x"}"#
                let first = try await Self.call(simulator, "POST", Self.botPath + "/sendMessage", body: body)
                let limited = try await Self.call(simulator, "POST", Self.botPath + "/sendMessage", body: body)
                let envelope = try limited.json()
                return {
                    #expect(first.status == 200)
                    #expect(limited.status == 429)
                    #expect(envelope["ok"] as? Bool == false)
                    #expect(envelope["error_code"] as? Int == 429)
                    #expect(envelope["description"] as? String == "Too Many Requests: retry after 1")
                    #expect((envelope["parameters"] as? [String: Any])?["retry_after"] as? Int == 1)
                    #expect(Set(envelope.keys) == ["ok", "error_code", "description", "parameters"])
                }
            }
        }
    }
}
