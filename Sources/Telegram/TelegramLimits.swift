/// Telegram's documented limits, in one place so the renderer, the chat front, the
/// delivery loop and the simulator agree on them.
public enum TelegramLimits {
    /// Maximum message text length, counted in UTF-16 code units after entity parsing
    /// (see `TelegramHTML.visibleLength(of:)`).
    public static let maxMessageLength = 4096
    /// Maximum `callback_data` size in bytes (UTF-8); the minimum is 1.
    public static let maxCallbackDataBytes = 64
    /// Maximum `answerCallbackQuery` notification text length.
    public static let maxCallbackAnswerLength = 200
    /// Maximum webhook `secret_token` length; the minimum is 1.
    public static let maxSecretTokenLength = 256
    /// Messages per second a bot may send overall (without paid broadcasts).
    public static let globalMessagesPerSecond = 30
    /// Messages per second to one chat.
    public static let chatMessagesPerSecond = 1
    /// Messages per minute to one group.
    public static let groupMessagesPerMinute = 20

    /// `callback_data` must be 1–64 bytes.
    public static func isValidCallbackData(_ data: String) -> Bool {
        let count = data.utf8.count
        return count >= 1 && count <= maxCallbackDataBytes
    }

    /// A webhook `secret_token` is 1–256 characters of `A-Za-z0-9_-`.
    public static func isValidSecretToken(_ token: String) -> Bool {
        let bytes = token.utf8
        guard !bytes.isEmpty, bytes.count <= maxSecretTokenLength else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
        }
    }
}
