/// Parameters of `sendMessage`. `linkPreviewOptions` is the current way to switch link
/// previews off; `disableWebPagePreview` is its deprecated predecessor, kept because
/// older Bot API servers (and some proxies) only understand it.
public struct SendMessageRequest: Codable, Sendable, Hashable {
    public var chatID: Int64
    public var text: String
    public var parseMode: ParseMode?
    public var linkPreviewOptions: LinkPreviewOptions?
    public var disableWebPagePreview: Bool?
    public var disableNotification: Bool?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatID: Int64, text: String, parseMode: ParseMode? = nil,
        linkPreviewOptions: LinkPreviewOptions? = nil, disableWebPagePreview: Bool? = nil,
        disableNotification: Bool? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.chatID = chatID
        self.text = text
        self.parseMode = parseMode
        self.linkPreviewOptions = linkPreviewOptions
        self.disableWebPagePreview = disableWebPagePreview
        self.disableNotification = disableNotification
        self.replyMarkup = replyMarkup
    }

    /// An HTML message with link previews off: the shape of every digest part.
    public static func html(chatID: Int64, text: String, replyMarkup: InlineKeyboardMarkup? = nil) -> SendMessageRequest {
        SendMessageRequest(
            chatID: chatID, text: text, parseMode: .html, linkPreviewOptions: .disabled, replyMarkup: replyMarkup
        )
    }

    /// Whether the request asks for no link preview, through either field.
    public var linkPreviewsDisabled: Bool {
        linkPreviewOptions?.isDisabled ?? disableWebPagePreview ?? false
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case text
        case parseMode = "parse_mode"
        case linkPreviewOptions = "link_preview_options"
        case disableWebPagePreview = "disable_web_page_preview"
        case disableNotification = "disable_notification"
        case replyMarkup = "reply_markup"
    }
}
