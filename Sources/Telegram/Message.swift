/// A message (`Message` in the Bot API), reduced to the fields newsbot reads.
/// Unknown fields are ignored when decoding.
public struct Message: Codable, Sendable, Hashable {
    public var messageID: Int64
    public var from: User?
    public var chat: Chat
    /// Unix time in seconds.
    public var date: Int64
    public var editDate: Int64?
    public var text: String?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        messageID: Int64, from: User? = nil, chat: Chat, date: Int64, editDate: Int64? = nil,
        text: String? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.editDate = editDate
        self.text = text
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case from, chat, date
        case editDate = "edit_date"
        case text
        case replyMarkup = "reply_markup"
    }
}
