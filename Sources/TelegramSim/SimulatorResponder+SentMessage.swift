import Core
import Hummingbird
import NIOCore
import Telegram

extension SimulatorResponder {
    /// The answer to `sendMessage`. A sent message (the whole load of a digest run, and the chat
    /// front's replies with their keyboards) is written by hand — the same fields `JSONEncoder`
    /// writes, at a fraction of the cost, so the simulator does not eat the CPU of the sender it
    /// measures; anything else goes through the encoder.
    func sentReply(_ result: Result<Message, SimulatorFailure>) -> Response {
        let (status, body) = sentReplyBytes(result)
        return Self.json(body, status: status)
    }

    /// The status and JSON body of `sentReply`, for the event-loop fast path too.
    func sentReplyBytes(_ result: Result<Message, SimulatorFailure>) -> (status: Int, body: ByteBuffer) {
        guard case .success(let message) = result, message.editDate == nil,
              message.chat.title == nil, message.chat.username == nil, message.chat.firstName == nil,
              message.from == core.bot, !botJSON.isEmpty else {
            return Self.encoded(result)
        }
        var out: [UInt8] = []
        out.reserveCapacity((message.text?.utf8.count ?? 0) + botJSON.count + 128)
        out += #"{"ok":true,"result":{"message_id":"#.utf8
        JSONStringWriter.append(message.messageID, to: &out)
        out += #","from":"#.utf8
        out += botJSON
        out += #","chat":{"id":"#.utf8
        JSONStringWriter.append(message.chat.id, to: &out)
        out += #","type":"#.utf8
        JSONStringWriter.append(message.chat.type.rawValue, to: &out)
        out += #"},"date":"#.utf8
        JSONStringWriter.append(message.date, to: &out)
        if let text = message.text {
            out += #","text":"#.utf8
            JSONStringWriter.append(text, to: &out)
        }
        if let markup = message.replyMarkup {
            out += #","reply_markup":"#.utf8
            markup.appendJSON(to: &out)
        }
        out += "}}".utf8
        return (200, ByteBuffer(bytes: out))
    }

    /// `sendMessage` parameters in the layout a `TelegramClient` writes
    /// (`{"chat_id":…,"text":…,"parse_mode":…,"link_preview_options":{"is_disabled":…},"reply_markup":…}`),
    /// scanned directly; nil for any other body, which then takes the general `BotAPIParameters`
    /// path. The result is the same value that path would decode.
    static func plainSendMessage(_ body: ByteBuffer, contentType: String?) -> SendMessageRequest? {
        guard let contentType, contentType.lowercased().hasPrefix("application/json") else { return nil }
        return body.withUnsafeReadableBytes { bytes -> SendMessageRequest? in
            var scanner = JSONScanner(bytes)
            guard scanner.literal(#"{"chat_id":"#), let chatID = scanner.int64(),
                  scanner.literal(#","text":"#), let text = scanner.string() else { return nil }
            var request = SendMessageRequest(chatID: chatID, text: text)
            if scanner.literal(#","parse_mode":"#) {
                guard let mode = scanner.string() else { return nil }
                request.parseMode = ParseMode(rawValue: mode)
            }
            if scanner.literal(#","link_preview_options":{"is_disabled":"#) {
                if scanner.literal("true}") {
                    request.linkPreviewOptions = LinkPreviewOptions(isDisabled: true)
                } else if scanner.literal("false}") {
                    request.linkPreviewOptions = LinkPreviewOptions(isDisabled: false)
                } else {
                    return nil
                }
            }
            if scanner.literal(#","reply_markup":"#) {
                guard let markup = InlineKeyboardMarkup.scan(&scanner) else { return nil }
                request.replyMarkup = markup
            }
            guard scanner.literal("}"), scanner.atEnd else { return nil }
            return request
        }
    }
}
