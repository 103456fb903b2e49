/// Failures of the chat front that the process must act on. Descriptions never contain the bot
/// token or the webhook secret.
public enum ChatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process held the chat for longer than `leaseWait`; the update was not applied
    /// (the webhook answers 503 so Telegram delivers it again).
    case chatBusy(chatID: Int64)
    /// `getUpdates` answered 409: another poller runs with this token, or a webhook is set.
    case pollingConflict
    /// Telegram refused the bot token.
    case unauthorized

    public var description: String {
        switch self {
        case .chatBusy(let chatID):
            "chat \(chatID) is busy in another process; the update will be redelivered"
        case .pollingConflict:
            "getUpdates conflict (409): another `newsbot bot --polling` runs with this token, or a webhook is set. "
                + "Stop the other poller, or run `newsbot bot --webhook` instead (a webhook must be deleted before polling)."
        case .unauthorized:
            "Telegram rejected the bot token (401): check TELEGRAM_BOT_TOKEN"
        }
    }
}
