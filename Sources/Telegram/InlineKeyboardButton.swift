/// One button of an inline keyboard: either sends `callbackData` back to the bot as a
/// callback query, or opens `url`. Telegram requires exactly one of them, and
/// `callbackData` of 1–64 bytes (see `TelegramLimits.isValidCallbackData`).
public struct InlineKeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    public var callbackData: String?
    public var url: String?

    public init(text: String, callbackData: String? = nil, url: String? = nil) {
        self.text = text
        self.callbackData = callbackData
        self.url = url
    }

    public static func callback(_ text: String, data: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, callbackData: data)
    }

    public static func link(_ text: String, url: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, url: url)
    }

    enum CodingKeys: String, CodingKey {
        case text
        case callbackData = "callback_data"
        case url
    }
}
