/// The Bot API methods newsbot calls. `TelegramClient` implements it over HTTP; unit
/// tests of Delivery and Chat implement it with fakes.
///
/// Methods throw `TelegramError` for every failure of the call itself, and
/// `CancellationError` when the calling task is cancelled.
public protocol TelegramAPI: Sendable {
    /// Sends a text message; returns it as Telegram stored it (with its `messageID`).
    func sendMessage(_ request: SendMessageRequest) async throws -> Message

    /// Sends a text message for a caller that drops the stored `Message` (the send loop):
    /// same request, same errors, without decoding the answer's `result`.
    func sendMessageDiscardingResult(_ request: SendMessageRequest) async throws

    /// Replaces the text (and keyboard) of a message the bot sent.
    func editMessageText(_ request: EditMessageTextRequest) async throws -> Message

    /// Acknowledges a button press; required for every callback query.
    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws

    /// The bot's own user; a cheap way to check the token.
    func getMe() async throws -> User

    /// Long polling: waits up to `request.timeout` seconds for updates after `offset`.
    func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update]

    /// Switches the bot to webhook delivery.
    func setWebhook(_ request: SetWebhookRequest) async throws

    /// Switches the bot back to `getUpdates`, optionally dropping queued updates.
    func deleteWebhook(dropPendingUpdates: Bool) async throws
}

extension TelegramAPI {
    /// Fakes and other implementations that have no cheaper path send as `sendMessage` does.
    public func sendMessageDiscardingResult(_ request: SendMessageRequest) async throws {
        _ = try await sendMessage(request)
    }
}
