import Core
import Foundation
import Synchronization
import Telegram

/// Telegram for a replay: accepts every `sendMessage` and keeps it, so the real delivery stage
/// runs (ledger, fan-out payloads, settling) without a network and without rate limits to wait on.
final class CapturingTelegram: TelegramAPI {
    private let sent = Mutex<[SendMessageRequest]>([])
    private let clock: any NewsbotClock

    init(clock: any NewsbotClock) {
        self.clock = clock
    }

    /// Every message accepted, in sending order.
    var messages: [SendMessageRequest] { sent.withLock { $0 } }

    func sendMessage(_ request: SendMessageRequest) async throws -> Message {
        let id = sent.withLock { sent -> Int in
            sent.append(request)
            return sent.count
        }
        return Message(messageID: Int64(id), chat: Chat(id: request.chatID, type: .private),
                       date: Int64(clock.now().timeIntervalSince1970), text: request.text)
    }

    func editMessageText(_ request: EditMessageTextRequest) async throws -> Message {
        throw TelegramError.badRequest("a replay only sends messages")
    }

    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws {
        throw TelegramError.badRequest("a replay only sends messages")
    }

    func getMe() async throws -> User {
        User(id: 1, isBot: true, firstName: "newsbot replay", username: "newsbot_replay_bot")
    }

    func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update] { [] }

    func setWebhook(_ request: SetWebhookRequest) async throws {
        throw TelegramError.badRequest("a replay only sends messages")
    }

    func deleteWebhook(dropPendingUpdates: Bool) async throws {}
}
