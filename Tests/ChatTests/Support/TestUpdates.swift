import Foundation
import Synchronization
import Telegram
import TelegramSim

/// Builders of the updates Telegram would send; ids left 0 are numbered by the simulator.
enum TestUpdates {
    private static let counter = Atomic<Int64>(1000)

    static func next() -> Int64 { counter.add(1, ordering: .relaxed).newValue }

    static func user(_ id: Int64, _ language: String = "en", name: String = "Ann") -> User {
        User(id: id, firstName: name, languageCode: language)
    }

    static func message(_ text: String?, from user: User, updateID: Int64 = 0) -> Update {
        Update(updateID: updateID, message: Message(
            messageID: next(), from: user, chat: Chat(id: user.id, type: .private),
            date: Int64(Date().timeIntervalSince1970), text: text))
    }

    /// A press on a button with `data` under the bot's message `message`.
    static func callback(_ data: String, on message: SimulatedMessage?, from user: User, updateID: Int64 = 0) -> Update {
        let chat = Chat(id: user.id, type: .private)
        let original = Message(messageID: message?.messageID ?? next(), chat: chat,
                               date: Int64((message?.sentAt ?? Date()).timeIntervalSince1970), text: message?.text)
        return Update(updateID: updateID, callbackQuery: CallbackQuery(
            id: "cb-\(next())", from: user, message: original, chatInstance: "ci-\(user.id)", data: data))
    }

    /// `my_chat_member`: the user blocked (`kicked`) or unblocked (`member`) the bot.
    static func membership(_ status: ChatMemberStatus, from user: User, updateID: Int64 = 0) -> Update {
        let bot = User(id: 123456789, isBot: true, firstName: "newsbot")
        let old: ChatMemberStatus = status == .kicked ? .member : .kicked
        return Update(updateID: updateID, myChatMember: ChatMemberUpdated(
            chat: Chat(id: user.id, type: .private), from: user, date: Int64(Date().timeIntervalSince1970),
            oldChatMember: ChatMember(status: old, user: bot), newChatMember: ChatMember(status: status, user: bot)))
    }

    /// The callback data of the button whose text contains `label` in `message`'s keyboard.
    static func button(_ label: String, in message: SimulatedMessage?) -> String? {
        buttons(in: message).first { $0.text.contains(label) }?.callbackData
    }

    static func buttons(in message: SimulatedMessage?) -> [InlineKeyboardButton] {
        (message?.replyMarkup?.inlineKeyboard ?? []).flatMap { $0 }
    }
}
