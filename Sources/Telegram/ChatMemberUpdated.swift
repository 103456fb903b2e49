/// The bot's membership in a chat changed (`my_chat_member`): in a private chat this is
/// how the bot learns the user blocked (`kicked`) or unblocked (`member`) it.
public struct ChatMemberUpdated: Codable, Sendable, Hashable {
    public var chat: Chat
    public var from: User
    public var date: Int64
    public var oldChatMember: ChatMember
    public var newChatMember: ChatMember

    public init(chat: Chat, from: User, date: Int64, oldChatMember: ChatMember, newChatMember: ChatMember) {
        self.chat = chat
        self.from = from
        self.date = date
        self.oldChatMember = oldChatMember
        self.newChatMember = newChatMember
    }

    enum CodingKeys: String, CodingKey {
        case chat, from, date
        case oldChatMember = "old_chat_member"
        case newChatMember = "new_chat_member"
    }
}
