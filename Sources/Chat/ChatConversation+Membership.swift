import Core
import Telegram

/// `my_chat_member`: the user blocked the bot (`kicked`) or unblocked it (`member`) in their
/// private chat. Nothing is said back: a blocked bot cannot, and an unblocked one hears `/start`.
extension ChatConversation {
    mutating func applyMembership(_ update: ChatMemberUpdated) async throws {
        guard update.chat.type == .private, let current = subscriber else { return }
        if update.newChatMember.status == .kicked {
            guard current.status != .blocked else { return }
            try await updateSubscriber { $0.status = .blocked }
        } else if update.newChatMember.status.canReceiveMessages, current.status == .blocked {
            try await updateSubscriber { $0.status = .active }
        }
    }
}
