import Foundation
import Testing

@testable import Telegram
@testable import TelegramSim

/// `TelegramClient` against a running `TelegramSimulator`: sending, limits, faults,
/// tokens and validation.
@Suite struct TelegramSimulatorTests {
    typealias Harness = SimulatorHarness

    static func configuration(_ limits: SimulatorRateLimits = .telegram) -> TelegramSimulator.Configuration {
        TelegramSimulator.Configuration(rateLimits: limits)
    }

    @Test func sendMessageIsAcceptedAndRecorded() async throws {
        try await Harness.with { simulator, client in
            let keyboard = InlineKeyboardMarkup(inlineKeyboard: [[.callback("More", data: "digest:more:2")]])
            let html = "<b>AI</b> &amp; <a href=\"https://e.com/?a=1&amp;b=2\">story</a>"
            let message = try await client.sendMessage(.html(chatID: 42, text: html, replyMarkup: keyboard))
            #expect(message.messageID == 1)
            #expect(message.chat.id == 42 && message.chat.type == .private)
            #expect(message.text == "AI & story")  // Telegram echoes the visible text
            #expect(message.replyMarkup == keyboard)
            #expect(message.from?.isBot == true)

            let second = try await client.sendMessage(SendMessageRequest(chatID: 43, text: "plain"))
            #expect(second.messageID == 1)  // message ids count per chat

            let recorded = simulator.messages(chatID: 42)
            #expect(recorded.count == 1)
            #expect(recorded.first?.text == html)
            #expect(recorded.first?.parseMode == .html)
            #expect(recorded.first?.replyMarkup == keyboard)
            #expect(recorded.first?.linkPreviewsDisabled == true)
            #expect(simulator.messages().map(\.chatID) == [42, 43])
            #expect(simulator.stats().accepted == 2)
            #expect(try await client.getMe().username == "newsbot_sim_bot")
        }
    }

    @Test func globalLimitAnswers429WithRetryAfter() async throws {
        let limits = SimulatorRateLimits(globalPerSecond: 5, perChatPerSecond: 0, perGroupPerMinute: 0)
        try await Harness.with(Self.configuration(limits)) { simulator, client in
            // Send until the simulator says no: on a loaded machine six sends may not fit in one
            // second at the first try, but the sixth inside any one second must be refused.
            var error: TelegramError?
            for chat in 1...200 where error == nil {
                error = await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: Int64(chat), text: "m")) }
            }
            #expect(error == .tooManyRequests(retryAfter: .seconds(1)))
            let stats = simulator.stats()
            #expect(stats.tooManyRequests == 1)
            #expect(stats.maxGlobalPerSecond == 5)
            #expect(stats.accepted >= 5)
            try await Task.sleep(for: .seconds(1))
            _ = try await client.sendMessage(SendMessageRequest(chatID: 6, text: "m"))
        }
    }

    @Test func perChatLimitAnswers429ForThatChatOnly() async throws {
        let strict = SimulatorRateLimits(globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20, perChatBurst: 1)
        try await Harness.with(Self.configuration(strict)) { simulator, client in
            try await Harness.withinWindow(.seconds(1)) { attempt in
                let chatID = Int64(1 + attempt)
                _ = try await client.sendMessage(SendMessageRequest(chatID: chatID, text: "first"))
                let error = await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: chatID, text: "second")) }
                return {
                    #expect(error?.retryAfter == .seconds(1))
                    #expect(simulator.chatStats(chatID)?.tooManyRequests == 1)
                }
            }
            _ = try await client.sendMessage(SendMessageRequest(chatID: 100, text: "other chat"))
            #expect(simulator.chatStats(100)?.tooManyRequests == 0)
            #expect(simulator.stats().maxChatPerSecond == 1)
        }
    }

    /// Telegram's limits allow a short burst in one chat (three quick answers), then hold the
    /// chat to its rate. Judged on the simulator's own record, so a slow machine (sends spread
    /// out, the bucket refilling in between) cannot make it fail: the first three always pass,
    /// and no accepted message ever exceeds what a bucket of 3 refilled at 1/s allows.
    @Test func aChatMayTakeAShortBurstThenItsRateHolds() async throws {
        try await Harness.with(Self.configuration(.telegram)) { simulator, client in
            for index in 1...3 { _ = try await client.sendMessage(SendMessageRequest(chatID: 1, text: "quick \(index)")) }
            var refused = 0
            for index in 4...8 {
                do {
                    _ = try await client.sendMessage(SendMessageRequest(chatID: 1, text: "more \(index)"))
                } catch let error as TelegramError {
                    #expect(error.retryAfter == .seconds(1))
                    refused += 1
                }
            }
            let times = simulator.messages(chatID: 1).map(\.sentAt.timeIntervalSince1970)
            #expect(times.count + refused == 8)
            #expect(simulator.chatStats(1)?.tooManyRequests == refused)
            for first in times.indices {
                for last in times.indices where last > first {
                    // Messages first...last: at most 3 at once plus 1 per second in between.
                    #expect(Double(last - first + 1) <= 3 + (times[last] - times[first]) + 0.05,
                            "messages \(first)...\(last) within \(times[last] - times[first]) s")
                }
            }
        }
    }

    @Test func groupLimitIsPerMinute() async throws {
        let limits = SimulatorRateLimits(globalPerSecond: 0, perChatPerSecond: 0, perGroupPerMinute: 3)
        try await Harness.with(Self.configuration(limits)) { simulator, client in
            for _ in 1...3 {
                _ = try await client.sendMessage(SendMessageRequest(chatID: -1001234567890, text: "g"))
            }
            let error = await Harness.error {
                try await client.sendMessage(SendMessageRequest(chatID: -1001234567890, text: "g"))
            }
            let retryAfter = try #require(error?.retryAfter)
            #expect(retryAfter > .seconds(50) && retryAfter <= .seconds(60))
            // Private chats have no per-minute limit.
            for _ in 1...5 { _ = try await client.sendMessage(SendMessageRequest(chatID: 9, text: "p")) }
            #expect(simulator.stats().maxGroupPerMinute == 3)
            #expect(simulator.chatStats(-1001234567890)?.maxPerMinute == 3)
        }
    }

    @Test func limitsCanBeSwitchedOffAndStatsStillMeasure() async throws {
        try await Harness.with(Self.configuration(.unlimited)) { simulator, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in 0..<50 {
                            let chat = Int64((worker * 50 + index) % 10 + 1)
                            _ = try await client.sendMessage(SendMessageRequest(chatID: chat, text: "load \(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let stats = simulator.stats()
            #expect(stats.accepted == 400)
            #expect(stats.tooManyRequests == 0)
            #expect(stats.maxGlobalPerSecond > 30)
            #expect(stats.maxChatPerSecond > 1)
            #expect(stats.chats.count == 10)
            #expect(stats.chats.map(\.accepted).reduce(0, +) == 400)
            // Switched on at run time, a limit applies at once (the global one stays off
            // here: the burst above still fills the last second).
            simulator.setRateLimits(SimulatorRateLimits(globalPerSecond: 0, perChatPerSecond: 1, perGroupPerMinute: 20))
            _ = try await client.sendMessage(SendMessageRequest(chatID: 500, text: "a"))
            #expect(await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: 500, text: "b")) }
                == .tooManyRequests(retryAfter: .seconds(1)))
        }
    }

    @Test func injectedFaultsMapToTelegramErrors() async throws {
        try await Harness.with(Self.configuration(.unlimited)) { simulator, client in
            func send(_ chat: Int64) async -> TelegramError? {
                await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: chat, text: "x")) }
            }
            simulator.setFault(.blocked, forChat: 1)
            simulator.setFault(.deactivated, forChat: 2)
            simulator.setFault(.kicked, forChat: -3)
            simulator.setFault(.chatNotFound, forChat: 4)
            simulator.setFault(.serverError(status: 502), forChat: 5, times: 2)
            #expect(await send(1) == .blocked)
            #expect(await send(1) == .blocked)  // without `times` it stays
            #expect(await send(2) == .blocked)
            #expect(await send(-3) == .blocked)
            #expect(await send(4) == .chatNotFound)
            #expect(await send(5) == .server(status: 502))
            #expect(await send(5) == .server(status: 502))
            #expect(await send(5) == nil)  // the fault was used up
            #expect(await send(6) == nil)

            simulator.setFault(.serverError(status: 503), forChat: nil, times: 1)
            #expect(await send(7) == .server(status: 503))
            #expect(await send(7) == nil)
            simulator.setFault(nil, forChat: 1)
            #expect(await send(1) == nil)
            simulator.setFault(.blocked, forChat: 2)
            simulator.clearFaults()
            #expect(await send(2) == nil)
            #expect(simulator.stats().faultsAnswered == 8)
            #expect(simulator.messages(chatID: 1).count == 1)
        }
    }

    @Test func slowFaultLeadsToClientTimeout() async throws {
        try await Harness.with(Self.configuration(.unlimited), requestTimeout: .seconds(2)) { simulator, client in
            simulator.setFault(.slow(delay: .seconds(6)), forChat: 8, times: 1)
            let error = await Harness.error { try await client.sendMessage(SendMessageRequest(chatID: 8, text: "x")) }
            #expect(error == .timeout)
            #expect(error?.isRetriable == true)
            simulator.setFault(.slow(delay: .milliseconds(100)), forChat: 9, times: 1)
            let start = ContinuousClock.now
            _ = try await client.sendMessage(SendMessageRequest(chatID: 9, text: "late but fine"))
            #expect(ContinuousClock.now - start >= .milliseconds(100))
        }
    }

    @Test func unknownTokenIsUnauthorized() async throws {
        try await Harness.with { simulator, _ in
            let secret = "987654321:ZZwrongTokenwrongTokenwrongToken00"
            let stranger = TelegramClient(
                configuration: TelegramClient.Configuration(baseURL: simulator.baseURL, token: BotToken(secret)),
                logger: Harness.quietLogger)
            let error = await Harness.error { try await stranger.getMe() }
            #expect(error == .unauthorized)
            #expect(!"\(String(describing: error))".contains("ZZwrong"))
            #expect(await Harness.error { try await stranger.sendMessage(SendMessageRequest(chatID: 1, text: "x")) }
                == .unauthorized)
            #expect(simulator.stats().accepted == 0)
        }
    }

    @Test func closedPortIsANetworkError() async throws {
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        let client = TelegramClient(
            configuration: TelegramClient.Configuration(
                baseURL: "http://127.0.0.1:\(closed.port)", token: TelegramSimulator.Configuration.defaultToken,
                requestTimeout: .seconds(1)),
            logger: Harness.quietLogger)
        // AsyncHTTPClient keeps retrying the connection until the deadline, then reports
        // the connect failure: a network error. On a starved machine the deadline can win the
        // race with the last refused connect: a timeout then, but only after the whole second.
        let start = ContinuousClock.now
        let error = await Harness.error { try await client.getMe() }
        let elapsed = ContinuousClock.now - start
        #expect(error == .network || (error == .timeout && elapsed >= .milliseconds(950)),
                "\(String(describing: error)) after \(elapsed)")
    }

    @Test func invalidMessagesAreRejectedLikeTelegram() async throws {
        try await Harness.with(Self.configuration(.unlimited)) { simulator, client in
            func rejection(_ request: SendMessageRequest) async -> String? {
                if case .badRequest(let text) = await Harness.error({ try await client.sendMessage(request) }) {
                    return text
                }
                return nil
            }
            #expect(await rejection(.html(chatID: 1, text: "a<br>b"))
                == "Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 1")
            #expect(await rejection(.html(chatID: 1, text: "<b>unclosed"))
                == "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"")
            #expect(await rejection(.html(chatID: 1, text: String(repeating: "x", count: 4097))) == "Bad Request: message is too long")
            #expect(await rejection(.html(chatID: 1, text: "<b> </b>")) == "Bad Request: message text is empty")
            #expect(await rejection(SendMessageRequest(chatID: 1, text: "")) == "Bad Request: message text is empty")
            #expect(await rejection(SendMessageRequest(chatID: 1, text: "x", parseMode: ParseMode(rawValue: "BBCode")))
                == "Bad Request: unsupported parse_mode")
            let longData = InlineKeyboardMarkup(inlineKeyboard: [[.callback("x", data: String(repeating: "d", count: 65))]])
            #expect(await rejection(SendMessageRequest(chatID: 1, text: "x", replyMarkup: longData)) == "Bad Request: BUTTON_DATA_INVALID")
            let noAction = InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "x")]])
            #expect(await rejection(SendMessageRequest(chatID: 1, text: "x", replyMarkup: noAction))?
                .contains("Text buttons are unallowed") == true)
            // Exactly at the limits is fine.
            let fullData = InlineKeyboardMarkup(inlineKeyboard: [[.callback("x", data: String(repeating: "d", count: 64))]])
            _ = try await client.sendMessage(.html(chatID: 1, text: "<b>" + String(repeating: "x", count: 4096) + "</b>", replyMarkup: fullData))
            _ = try await client.sendMessage(SendMessageRequest(chatID: 1, text: String(repeating: "😀", count: 2048)))
            #expect(simulator.stats().rejected == 8)
            #expect(simulator.stats().accepted == 2)
        }
    }

    @Test func callbackQueriesAndEdits() async throws {
        try await Harness.with(Self.configuration(.unlimited)) { simulator, client in
            let menu = try await client.sendMessage(.html(
                chatID: 5, text: "Pick a topic",
                replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[.callback("AI", data: "topic:ai")]])))
            let user = User(id: 5, firstName: "Dee", languageCode: "en")
            try simulator.injectUpdate(Update(
                updateID: 0,
                callbackQuery: CallbackQuery(id: "cb-1", from: user, message: menu, chatInstance: "ci", data: "topic:ai")))
            #expect(simulator.stats().callbackQueriesPending == 1)
            try await client.answerCallbackQuery(AnswerCallbackQueryRequest(callbackQueryID: "cb-1", text: "Added"))
            #expect(simulator.callbackAnswers() == [SimulatedCallbackAnswer(callbackQueryID: "cb-1", text: "Added", showAlert: false)])
            #expect(simulator.stats().callbackQueriesPending == 0)
            // A second answer, or an id Telegram never sent, is refused.
            let again = await Harness.error { try await client.answerCallbackQuery(AnswerCallbackQueryRequest(callbackQueryID: "cb-1")) }
            #expect(again == .badRequest("Bad Request: query is too old and response timeout expired or query ID is invalid"))

            let edited = try await client.editMessageText(EditMessageTextRequest(
                chatID: 5, messageID: menu.messageID, text: "<i>AI added</i>", parseMode: .html))
            #expect(edited.text == "AI added" && edited.editDate != nil)
            #expect(simulator.messages(chatID: 5).first?.text == "<i>AI added</i>")
            #expect(simulator.messages(chatID: 5).first?.editedAt != nil)
            let same = await Harness.error { try await client.editMessageText(EditMessageTextRequest(
                chatID: 5, messageID: menu.messageID, text: "<i>AI added</i>", parseMode: .html)) }
            #expect(same?.description.contains("message is not modified") == true)
            let missing = await Harness.error { try await client.editMessageText(EditMessageTextRequest(
                chatID: 5, messageID: 99, text: "x")) }
            #expect(missing == .badRequest("Bad Request: message to edit not found"))
            #expect(simulator.stats().edited == 1)
        }
    }
}
