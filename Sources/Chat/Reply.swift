import Telegram

/// One message the bot sends in answer to an update: Telegram HTML with an optional inline
/// keyboard. Each step of a flow is answered with exactly one.
struct Reply: Sendable, Hashable {
    var text: String
    var keyboard: InlineKeyboardMarkup?

    init(_ text: String, keyboard: InlineKeyboardMarkup? = nil) {
        self.text = text
        self.keyboard = keyboard
    }

    func request(chatID: Int64) -> SendMessageRequest {
        .html(chatID: chatID, text: text, replyMarkup: keyboard)
    }
}
