/// An incoming update. Exactly one of the optional fields is set for the kinds newsbot
/// handles; for any other kind (polls, reactions, …) all are nil and the update still
/// decodes, so the router can acknowledge and skip it instead of failing.
public struct Update: Codable, Sendable, Hashable {
    public var updateID: Int64
    public var message: Message?
    public var editedMessage: Message?
    public var callbackQuery: CallbackQuery?
    public var myChatMember: ChatMemberUpdated?

    public init(
        updateID: Int64, message: Message? = nil, editedMessage: Message? = nil,
        callbackQuery: CallbackQuery? = nil, myChatMember: ChatMemberUpdated? = nil
    ) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.callbackQuery = callbackQuery
        self.myChatMember = myChatMember
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id"
        case message
        case editedMessage = "edited_message"
        case callbackQuery = "callback_query"
        case myChatMember = "my_chat_member"
    }

    /// True when the update is of a kind this type models.
    public var isKnownKind: Bool {
        message != nil || editedMessage != nil || callbackQuery != nil || myChatMember != nil
    }

    /// The chat the update belongs to, the key for applying one chat's updates in order.
    public var chatID: Int64? {
        if let message { return message.chat.id }
        if let editedMessage { return editedMessage.chat.id }
        if let callbackQuery { return callbackQuery.message?.chat.id ?? callbackQuery.from.id }
        if let myChatMember { return myChatMember.chat.id }
        return nil
    }

    /// The user who caused the update, when known.
    public var sender: User? {
        message?.from ?? editedMessage?.from ?? callbackQuery?.from ?? myChatMember?.from
    }
}
