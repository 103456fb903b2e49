/// Parameters of `editMessageText` for a message the bot sent to a chat; used by the
/// chat front to update a menu in place after a button press.
public struct EditMessageTextRequest: Codable, Sendable, Hashable {
    public var chatID: Int64
    public var messageID: Int64
    public var text: String
    public var parseMode: ParseMode?
    public var linkPreviewOptions: LinkPreviewOptions?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatID: Int64, messageID: Int64, text: String, parseMode: ParseMode? = nil,
        linkPreviewOptions: LinkPreviewOptions? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.chatID = chatID
        self.messageID = messageID
        self.text = text
        self.parseMode = parseMode
        self.linkPreviewOptions = linkPreviewOptions
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case messageID = "message_id"
        case text
        case parseMode = "parse_mode"
        case linkPreviewOptions = "link_preview_options"
        case replyMarkup = "reply_markup"
    }
}
