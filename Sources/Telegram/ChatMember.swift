/// A member of a chat. The Bot API sends one of six `ChatMember*` objects told apart by
/// `status`; newsbot only needs the status and the user, so this is one flat struct.
public struct ChatMember: Codable, Sendable, Hashable {
    public var status: ChatMemberStatus
    public var user: User

    public init(status: ChatMemberStatus, user: User) {
        self.status = status
        self.user = user
    }
}
