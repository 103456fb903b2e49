import Telegram

/// The Telegram API of a worker that does not deliver: any call is a configuration error, so a
/// misrouted job fails loudly instead of silently.
struct UnavailableTelegram: TelegramAPI {
    private var error: TelegramError { .unauthorized }

    func sendMessage(_ request: SendMessageRequest) async throws -> Message { throw error }
    func editMessageText(_ request: EditMessageTextRequest) async throws -> Message { throw error }
    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws { throw error }
    func getMe() async throws -> User { throw error }
    func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update] { throw error }
    func setWebhook(_ request: SetWebhookRequest) async throws { throw error }
    func deleteWebhook(dropPendingUpdates: Bool) async throws { throw error }
}
