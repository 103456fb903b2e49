/// Why a text is not valid Telegram HTML. `message` reads like Telegram's own parser
/// errors ("Unsupported start tag \"br\" at byte offset 5"), so the simulator can answer
/// `400 Bad Request: can't parse entities: <message>` just like the real API.
public struct TelegramHTMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Offset in the UTF-8 bytes of the text where the problem starts, when known.
    public var byteOffset: Int?

    public init(_ message: String, byteOffset: Int? = nil) {
        self.message = message
        self.byteOffset = byteOffset
    }

    public var description: String { message }
}
