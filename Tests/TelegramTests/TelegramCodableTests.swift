import Foundation
import Testing

@testable import Telegram

/// Decoding real Bot API payloads and encoding requests with Telegram's snake_case keys.
@Suite struct TelegramCodableTests {
    let decoder = JSONDecoder()

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try decoder.decode(type, from: Data(json.utf8))
    }

    func jsonObject<T: Encodable>(_ value: T) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func decodesMessageUpdate() throws {
        let update = try decode(Update.self, """
            {"update_id": 815, "message": {"message_id": 12, "date": 1764489600,
              "from": {"id": 42, "is_bot": false, "first_name": "Ann", "username": "ann", "language_code": "ru"},
              "chat": {"id": 42, "type": "private", "first_name": "Ann"},
              "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
            """)
        #expect(update.updateID == 815)
        #expect(update.message?.text == "/start")
        #expect(update.message?.from?.languageCode == "ru")
        #expect(update.message?.chat.type == .private)
        #expect(update.chatID == 42)
        #expect(update.sender?.id == 42)
        #expect(update.isKnownKind)
    }

    @Test(arguments: [
        #"{"update_id": 9, "message_reaction": {"chat": {"id": 1, "type": "private"}, "message_id": 3, "date": 1, "old_reaction": [], "new_reaction": []}}"#,
        #"{"update_id": 9, "poll": {"id": "p", "question": "?", "options": []}}"#,
        #"{"update_id": 9, "some_kind_from_2030": {"x": [1, 2, {"y": null}]}}"#,
        #"{"update_id": 9}"#,
    ])
    func unknownUpdateKindsStillDecode(json: String) throws {
        let update = try decode(Update.self, json)
        #expect(update.updateID == 9)
        #expect(!update.isKnownKind)
        #expect(update.chatID == nil)
    }

    @Test func decodesCallbackQueryAndMyChatMember() throws {
        let callback = try decode(Update.self, """
            {"update_id": 1, "callback_query": {"id": "4382bfdwdsb323b2d9", "chat_instance": "-8",
              "from": {"id": 7, "is_bot": false, "first_name": "Bo"}, "data": "topic:add:ai",
              "message": {"message_id": 5, "date": 0, "chat": {"id": 7, "type": "private"}}}}
            """)
        #expect(callback.callbackQuery?.data == "topic:add:ai")
        #expect(callback.callbackQuery?.message?.messageID == 5)
        #expect(callback.chatID == 7)

        let blocked = try decode(Update.self, """
            {"update_id": 2, "my_chat_member": {"chat": {"id": 7, "type": "private"},
              "from": {"id": 7, "is_bot": false, "first_name": "Bo"}, "date": 1764489600,
              "old_chat_member": {"status": "member", "user": {"id": 99, "is_bot": true, "first_name": "newsbot"}},
              "new_chat_member": {"status": "kicked", "until_date": 0, "user": {"id": 99, "is_bot": true, "first_name": "newsbot"}}}}
            """)
        #expect(blocked.myChatMember?.newChatMember.status == .kicked)
        #expect(blocked.myChatMember?.newChatMember.status.canReceiveMessages == false)
        #expect(blocked.myChatMember?.oldChatMember.status.canReceiveMessages == true)
        #expect(blocked.chatID == 7)
    }

    @Test func unknownChatTypeAndStatusDecode() throws {
        let chat = try decode(Chat.self, #"{"id": -100123, "type": "forum_of_the_future"}"#)
        #expect(chat.type.rawValue == "forum_of_the_future")
        #expect(!chat.type.isGroup)
        let member = try decode(ChatMember.self, #"{"status": "ghost", "user": {"id": 1, "is_bot": false, "first_name": "x"}}"#)
        #expect(member.status.rawValue == "ghost")
    }

    @Test func updateRoundTrips() throws {
        let update = Update(
            updateID: 77,
            callbackQuery: CallbackQuery(
                id: "q1", from: User(id: 5, firstName: "Cy", languageCode: "en"),
                message: Message(messageID: 3, chat: Chat(id: 5, type: .private), date: 1, text: "menu",
                                 replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[.callback("Add", data: "add")]])),
                chatInstance: "ci", data: "add"))
        let data = try JSONEncoder().encode(update)
        #expect(try decoder.decode(Update.self, from: data) == update)
        let object = try jsonObject(update)
        let query = try #require(object["callback_query"] as? [String: Any])
        #expect(query["chat_instance"] as? String == "ci")
        let message = try #require(query["message"] as? [String: Any])
        #expect(message["reply_markup"] != nil)
        #expect(message["message_id"] as? Int == 3)
    }

    @Test func sendMessageRequestUsesSnakeCaseAndOmitsNils() throws {
        let request = SendMessageRequest.html(
            chatID: -100200, text: "<b>Hi</b>",
            replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[.link("Open", url: "https://example.com")]]))
        let object = try jsonObject(request)
        #expect(object["chat_id"] as? Int == -100200)
        #expect(object["parse_mode"] as? String == "HTML")
        #expect((object["link_preview_options"] as? [String: Any])?["is_disabled"] as? Bool == true)
        #expect(object["disable_web_page_preview"] == nil)
        #expect(object["disable_notification"] == nil)
        let keyboard = try #require((object["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]])
        #expect(keyboard[0][0]["url"] as? String == "https://example.com")
        #expect(keyboard[0][0]["callback_data"] == nil)
        #expect(request.linkPreviewsDisabled)
        #expect(SendMessageRequest(chatID: 1, text: "x", disableWebPagePreview: true).linkPreviewsDisabled)
        #expect(!SendMessageRequest(chatID: 1, text: "x").linkPreviewsDisabled)
    }

    @Test func otherRequestsUseTelegramKeys() throws {
        let webhook = try jsonObject(SetWebhookRequest(
            url: "https://bot.example/telegram/webhook", secretToken: "s3cr3t", allowedUpdates: ["message"],
            maxConnections: 40, dropPendingUpdates: true))
        #expect(Set(webhook.keys) == ["url", "secret_token", "allowed_updates", "max_connections", "drop_pending_updates"])
        let updates = try jsonObject(GetUpdatesRequest(offset: 10, limit: 100, timeout: 30, allowedUpdates: []))
        #expect(Set(updates.keys) == ["offset", "limit", "timeout", "allowed_updates"])
        let answer = try jsonObject(AnswerCallbackQueryRequest(callbackQueryID: "q", text: "ok", showAlert: false))
        #expect(Set(answer.keys) == ["callback_query_id", "text", "show_alert"])
        let edit = try jsonObject(EditMessageTextRequest(chatID: 1, messageID: 2, text: "t", parseMode: .html))
        #expect(Set(edit.keys) == ["chat_id", "message_id", "text", "parse_mode"])
    }

    @Test func decodesEnvelopes() throws {
        let ok = try decode(TelegramResponse<User>.self, """
            {"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"newsbot","username":"newsbot_bot"}}
            """)
        #expect(ok.ok && ok.result?.username == "newsbot_bot")
        let failed = try decode(TelegramResponse<Message>.self, """
            {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}
            """)
        #expect(!failed.ok && failed.result == nil)
        #expect(failed.errorCode == 429 && failed.parameters?.retryAfter == 7)
        let migrated = try decode(TelegramResponse<Bool>.self, """
            {"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}
            """)
        #expect(migrated.parameters?.migrateToChatID == -1001234567890)
    }
}
