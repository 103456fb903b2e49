import Foundation
import Telegram

/// Reads a webhook body into an `Update` without `JSONDecoder` when it is the common kind: an
/// update carrying a `message` whose strings have no escapes. Members the bot does not model are
/// skipped as `JSONDecoder` would skip them; anything else — another update kind, an escape, a
/// duplicate or mistyped member, a number that is not a plain integer — falls back to
/// `JSONDecoder`, so the result (or the error, answered 400) is always the decoder's.
///
/// Why: every webhook request is decoded once, and the generic decoder (containers, key lookup,
/// boxing) cost more than the rest of reading the request.
struct WebhookUpdateReader {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Update {
        var reader = WebhookUpdateReader(bytes: bytes)
        if let update = reader.update() { return update }
        return try JSONDecoder().decode(Update.self, from: Data(bytes))
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: the modelled objects

    private mutating func update() -> Update? {
        var updateID: Int64?, message: Message?
        guard object({ reader, key in
            switch key {
            case "update_id": return updateID == nil && reader.integer(into: &updateID)
            case "message": return message == nil && reader.value(into: &message) { $0.message() }
            // Other kinds are rarer: the decoder reads them.
            case "edited_message", "callback_query", "my_chat_member": return false
            default: return reader.skipValue()
            }
        }) else { return nil }
        skipWhitespace()
        guard index == bytes.count, let updateID, let message else { return nil }
        return Update(updateID: updateID, message: message)
    }

    private mutating func message() -> Message? {
        var messageID: Int64?, from: User??, chat: Chat?, date: Int64?, editDate: Int64??, text: String??
        guard object({ reader, key in
            switch key {
            case "message_id": return messageID == nil && reader.integer(into: &messageID)
            case "from": return from == nil && reader.optional(into: &from) { $0.user() }
            case "chat": return chat == nil && reader.value(into: &chat) { $0.chat() }
            case "date": return date == nil && reader.integer(into: &date)
            case "edit_date": return editDate == nil && reader.optional(into: &editDate) { $0.integer() }
            case "text": return text == nil && reader.optional(into: &text) { $0.string() }
            case "reply_markup": return false
            default: return reader.skipValue()
            }
        }), let messageID, let chat, let date else { return nil }
        return Message(messageID: messageID, from: from ?? nil, chat: chat, date: date, editDate: editDate ?? nil, text: text ?? nil)
    }

    private mutating func user() -> User? {
        var id: Int64?, isBot: Bool?, firstName: String?, lastName: String??, username: String??, languageCode: String??
        guard object({ reader, key in
            switch key {
            case "id": return id == nil && reader.integer(into: &id)
            case "is_bot": return isBot == nil && reader.value(into: &isBot) { $0.bool() }
            case "first_name": return firstName == nil && reader.value(into: &firstName) { $0.string() }
            case "last_name": return lastName == nil && reader.optional(into: &lastName) { $0.string() }
            case "username": return username == nil && reader.optional(into: &username) { $0.string() }
            case "language_code": return languageCode == nil && reader.optional(into: &languageCode) { $0.string() }
            default: return reader.skipValue()
            }
        }), let id, let isBot, let firstName else { return nil }
        return User(id: id, isBot: isBot, firstName: firstName, lastName: lastName ?? nil, username: username ?? nil,
                    languageCode: languageCode ?? nil)
    }

    private mutating func chat() -> Chat? {
        var id: Int64?, type: String?, title: String??, username: String??, firstName: String??
        guard object({ reader, key in
            switch key {
            case "id": return id == nil && reader.integer(into: &id)
            case "type": return type == nil && reader.value(into: &type) { $0.string() }
            case "title": return title == nil && reader.optional(into: &title) { $0.string() }
            case "username": return username == nil && reader.optional(into: &username) { $0.string() }
            case "first_name": return firstName == nil && reader.optional(into: &firstName) { $0.string() }
            default: return reader.skipValue()
            }
        }), let id, let type else { return nil }
        return Chat(id: id, type: ChatType(rawValue: type), title: title ?? nil, username: username ?? nil,
                    firstName: firstName ?? nil)
    }

    // MARK: members

    /// Reads `{ "key": value, … }`, handing each key to `member`, which reads the value (or
    /// answers false to give up).
    private mutating func object(_ member: (inout WebhookUpdateReader, String) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            guard let key = string(), consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    private mutating func value<T>(into slot: inout T?, _ read: (inout WebhookUpdateReader) -> T?) -> Bool {
        guard let value = read(&self) else { return false }
        slot = value
        return true
    }

    /// An optional member: `null` is nil, as `decodeIfPresent` reads it.
    private mutating func optional<T>(into slot: inout T??, _ read: (inout WebhookUpdateReader) -> T?) -> Bool {
        if literal("null") {
            slot = .some(nil)
            return true
        }
        guard let value = read(&self) else { return false }
        slot = .some(value)
        return true
    }

    private mutating func integer(into slot: inout Int64?) -> Bool {
        value(into: &slot) { $0.integer() }
    }

    // MARK: scalars

    /// A plain JSON integer that fits `Int64` (no fraction or exponent: those go to the decoder).
    private mutating func integer() -> Int64? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digits = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        guard index > digits, index - digits == 1 || bytes[digits] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        return Int64(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    /// A string without escapes or control characters, valid UTF-8; anything else is nil.
    private mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // ASCII is valid UTF-8 as it is: no validation pass (a generic, unspecialized call).
                return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            }
            ascii = ascii && byte < 0x80
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// Steps over a value the bot does not model. Only plain values (strings as `string()` reads
    /// them, numbers of JSON's grammar, literals, and containers of those) are stepped over, so
    /// whatever this reader accepts is JSON the decoder accepts too; anything else gives up.
    private mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 16, index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isObject = bytes[index] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            if consume(close) { return true }
            repeat {
                skipWhitespace()
                if isObject {
                    guard string() != nil, consume(UInt8(ascii: ":")) else { return false }
                    skipWhitespace()
                }
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(close)
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return skipNumber()
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func skipNumber() -> Bool {
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integral = index
        guard skipDigits() > 0, index - integral == 1 || bytes[integral] != UInt8(ascii: "0") else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { return false }
        }
        return true
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    // MARK: bytes

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// Skips whitespace, then consumes `byte` if it is next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }
}
