import Foundation
import NIOPosix
import Synchronization
import Telegram
import Testing

/// A `TelegramAPI` double for tests that need no HTTP: records what the bot sends and answers
/// like Telegram would. `sendGate` holds every `sendMessage` until opened (back-pressure tests);
/// `updates` scripts `getUpdates` answers, errors included (poller tests).
final class RecordingTelegram: TelegramAPI {
    private struct State {
        var sent: [SendMessageRequest] = []
        /// Per `sendMessage`, whether the caller ran on a NIO event loop.
        var sentOnEventLoop: [Bool] = []
        var answers: [AnswerCallbackQueryRequest] = []
        var nextMessageID: Int64 = 1
        var script: [Result<[Update], TelegramError>] = []
        var getUpdatesCalls: [GetUpdatesRequest] = []
        var gateOpen = true
        var gateWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(gateOpen: Bool = true, updates: [Result<[Update], TelegramError>] = []) {
        state.withLock {
            $0.gateOpen = gateOpen
            $0.script = updates
        }
    }

    var sent: [SendMessageRequest] { state.withLock { $0.sent } }
    var sentOnEventLoop: [Bool] { state.withLock { $0.sentOnEventLoop } }
    var answers: [AnswerCallbackQueryRequest] { state.withLock { $0.answers } }
    var getUpdatesCalls: [GetUpdatesRequest] { state.withLock { $0.getUpdatesCalls } }
    /// How many `sendMessage` calls the closed gate is holding.
    var held: Int { state.withLock { $0.gateWaiters.count } }

    /// Waits until the closed gate holds `count` sends; fails the test after `timeout` (a hang
    /// guard, generous for a loaded machine).
    func waitUntilHeld(_ count: Int, timeout: Duration = .seconds(30),
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await wait(until: { held >= count }, timeout: timeout)
        try #require(held == count, "\(count) sends never reached sendMessage", sourceLocation: sourceLocation)
    }

    /// Waits until `getUpdates` has been called `count` times; fails the test after `timeout`.
    func waitForGetUpdatesCalls(_ count: Int, timeout: Duration = .seconds(30),
                                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await wait(until: { getUpdatesCalls.count >= count }, timeout: timeout)
        try #require(getUpdatesCalls.count >= count, "getUpdates was called \(getUpdatesCalls.count) times, not \(count)",
                     sourceLocation: sourceLocation)
    }

    private func wait(until condition: () -> Bool, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    func openGate() {
        let waiters = state.withLock { s in
            s.gateOpen = true
            defer { s.gateWaiters = [] }
            return s.gateWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func sendMessage(_ request: SendMessageRequest) async throws -> Message {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { s in
                if !s.gateOpen { s.gateWaiters.append(continuation) }
                return s.gateOpen
            }
            if open { continuation.resume() }
        }
        let onEventLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
        let id = state.withLock { s in
            s.sent.append(request)
            s.sentOnEventLoop.append(onEventLoop)
            s.nextMessageID += 1
            return s.nextMessageID
        }
        return Message(messageID: id, chat: Chat(id: request.chatID, type: request.chatID > 0 ? .private : .group),
                       date: Int64(Date().timeIntervalSince1970), text: request.text, replyMarkup: request.replyMarkup)
    }

    func editMessageText(_ request: EditMessageTextRequest) async throws -> Message {
        Message(messageID: request.messageID, chat: Chat(id: request.chatID, type: .private), date: 0, text: request.text)
    }

    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws {
        state.withLock { $0.answers.append(request) }
    }

    func getMe() async throws -> User { User(id: 123456789, isBot: true, firstName: "newsbot") }

    /// The next scripted answer; when the script is done, waits like an empty long poll.
    func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update] {
        let next = state.withLock { s -> Result<[Update], TelegramError>? in
            s.getUpdatesCalls.append(request)
            return s.script.isEmpty ? nil : s.script.removeFirst()
        }
        guard let next else {
            try await Task.sleep(for: .milliseconds(20))
            return []
        }
        return try next.get()
    }

    func setWebhook(_ request: SetWebhookRequest) async throws {}
    func deleteWebhook(dropPendingUpdates: Bool) async throws {}
}
