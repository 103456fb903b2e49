import Core
import Telegram

/// `newsbot bot --webhook --set-webhook URL`: tells Telegram where to push updates, with the
/// secret it must send back, the update kinds the bot handles and how many connections it may
/// open at once.
public enum WebhookRegistration {
    public static func register(url: String, secret: Secret<String>, maxConnections: Int = 40,
                                dropPendingUpdates: Bool = false, telegram: any TelegramAPI) async throws {
        try await telegram.setWebhook(SetWebhookRequest(
            url: url, secretToken: secret.value, allowedUpdates: LongPoller.allowedUpdates,
            maxConnections: min(max(maxConnections, 1), 100), dropPendingUpdates: dropPendingUpdates))
    }
}
