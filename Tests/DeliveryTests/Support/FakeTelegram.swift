import Synchronization
import Telegram

/// A `TelegramAPI` whose `sendMessage` answers are scripted per call, recording every request,
/// for exact tests of the delivery loop's branching. Only `sendMessage` is used by Delivery;
/// the other methods fail loudly if called.
final class FakeTelegram: TelegramAPI {
    typealias Script = @Sendable (_ request: SendMessageRequest, _ callForChat: Int) async throws -> Void

    private struct State {
        var requests: [SendMessageRequest] = []
        var callsByChat: [Int64: Int] = [:]
        var nextMessageID: Int64 = 0
    }

    private let state = Mutex(State())
    private let script: Script

    /// - Parameter script: runs for every call (1-based count per chat); throws to fail it.
    init(script: @escaping Script = { _, _ in }) {
        self.script = script
    }

    /// Every `sendMessage` request, in call order (failed ones included).
    var requests: [SendMessageRequest] { state.withLock { $0.requests } }

    func calls(chatID: Int64) -> Int { state.withLock { $0.callsByChat[chatID] ?? 0 } }

    func sendMessage(_ request: SendMessageRequest) async throws -> Message {
        let call = state.withLock { s -> Int in
            s.requests.append(request)
            s.callsByChat[request.chatID, default: 0] += 1
            return s.callsByChat[request.chatID]!
        }
        try await script(request, call)
        let id = state.withLock { s -> Int64 in s.nextMessageID += 1; return s.nextMessageID }
        return Message(messageID: id, chat: Chat(id: request.chatID, type: request.chatID < 0 ? .group : .private),
                       date: 0, text: request.text)
    }

    func editMessageText(_ request: EditMessageTextRequest) async throws -> Message { throw TelegramError.badRequest("unused") }
    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws { throw TelegramError.badRequest("unused") }
    func getMe() async throws -> User { throw TelegramError.badRequest("unused") }
    func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update] { throw TelegramError.badRequest("unused") }
    func setWebhook(_ request: SetWebhookRequest) async throws { throw TelegramError.badRequest("unused") }
    func deleteWebhook(dropPendingUpdates: Bool) async throws { throw TelegramError.badRequest("unused") }
}
