import Foundation
import Synchronization
import Telegram

/// A Telegram that accepts and records every message; it can be told to stop answering after
/// a number of messages (sends then hang until their task is cancelled), to stand for a worker
/// killed in the middle of delivery.
final class RecordingTelegram: TelegramAPI {
    private struct State {
        var sent: [SendMessageRequest] = []
        var holdAfter: Int?
        var hanging = 0
    }

    private let state = Mutex(State())

    init(holdAfter: Int? = nil) {
        state.withLock { $0.holdAfter = holdAfter }
    }

    var sent: [SendMessageRequest] { state.withLock { $0.sent } }
    var hanging: Int { state.withLock { $0.hanging } }

    /// Messages per chat.
    var countsByChat: [Int64: Int] {
        Dictionary(sent.map { ($0.chatID, 1) }, uniquingKeysWith: +)
    }

    func sendMessage(_ request: SendMessageRequest) async throws -> Message {
        let hang = state.withLock { s -> Bool in
            if let limit = s.holdAfter, s.sent.count >= limit {
                s.hanging += 1
                return true
            }
            s.sent.append(request)
            return false
        }
        if hang {
            defer { state.withLock { $0.hanging -= 1 } }
            // Never answers: only cancellation (the "kill") ends it, and the message is not sent.
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        return Message(messageID: Int64(sent.count), chat: Chat(id: request.chatID, type: .private), date: 0, text: request.text)
    }

    func editMessageText(_ request: EditMessageTextRequest) async throws -> Message { throw TelegramError.badRequest("unused") }
    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws { throw TelegramError.badRequest("unused") }
    func getMe() async throws -> User { User(id: 1, isBot: true, firstName: "test") }
    func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update] { [] }
    func setWebhook(_ request: SetWebhookRequest) async throws {}
    func deleteWebhook(dropPendingUpdates: Bool) async throws {}
}
