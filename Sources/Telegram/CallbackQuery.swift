/// A press on an inline keyboard button. Every one must be answered with
/// `answerCallbackQuery`, or the user's client shows a spinner until it times out.
public struct CallbackQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: User
    /// The message the button was attached to; absent for inline-mode messages. For
    /// messages older than 48 hours Telegram sends an "inaccessible message" with date 0.
    public var message: Message?
    public var inlineMessageID: String?
    public var chatInstance: String
    public var data: String?

    public init(
        id: String, from: User, message: Message? = nil, inlineMessageID: String? = nil,
        chatInstance: String, data: String? = nil
    ) {
        self.id = id
        self.from = from
        self.message = message
        self.inlineMessageID = inlineMessageID
        self.chatInstance = chatInstance
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id, from, message
        case inlineMessageID = "inline_message_id"
        case chatInstance = "chat_instance"
        case data
    }
}
