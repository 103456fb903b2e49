import Foundation
import Telegram

/// A message the simulator accepted, as the client sent it: tests and QA compare `text`
/// (the raw HTML) with what the renderer produced.
public struct SimulatedMessage: Codable, Sendable, Hashable {
    /// Order of acceptance across all chats, from 1.
    public var sequence: Int
    public var chatID: Int64
    public var messageID: Int64
    public var text: String
    public var parseMode: ParseMode?
    public var replyMarkup: InlineKeyboardMarkup?
    public var linkPreviewsDisabled: Bool
    public var sentAt: Date
    /// Set when the message was later changed with `editMessageText`.
    public var editedAt: Date?

    public init(
        sequence: Int, chatID: Int64, messageID: Int64, text: String, parseMode: ParseMode?,
        replyMarkup: InlineKeyboardMarkup?, linkPreviewsDisabled: Bool, sentAt: Date, editedAt: Date? = nil
    ) {
        self.sequence = sequence
        self.chatID = chatID
        self.messageID = messageID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
        self.linkPreviewsDisabled = linkPreviewsDisabled
        self.sentAt = sentAt
        self.editedAt = editedAt
    }

    enum CodingKeys: String, CodingKey {
        case sequence
        case chatID = "chat_id"
        case messageID = "message_id"
        case text
        case parseMode = "parse_mode"
        case replyMarkup = "reply_markup"
        case linkPreviewsDisabled = "link_previews_disabled"
        case sentAt = "sent_at"
        case editedAt = "edited_at"
    }
}
