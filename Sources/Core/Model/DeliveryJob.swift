/// The payload of one job on the `deliver` queue: everything the sender needs, so delivery never
/// reads the store on its hot path except for the ledger.
public struct DeliveryJob: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Part of a scheduled or on-demand digest; recorded in the delivery ledger.
        case digest
        /// A reply to a person: interactive priority, not in the ledger.
        case reply
    }

    public var kind: Kind
    /// Idempotency key (digests); a message whose key is already delivered is not sent again.
    public var key: DeliveryKey
    public var run: SlotRunKey?
    public var chatID: Int64
    /// Telegram HTML, link previews off.
    public var text: String

    public init(kind: Kind = .digest, key: DeliveryKey, run: SlotRunKey?, chatID: Int64, text: String) {
        self.kind = kind
        self.key = key
        self.run = run
        self.chatID = chatID
        self.text = text
    }

    public init(message: DigestMessage) {
        self.init(kind: .digest, key: message.key, run: message.run, chatID: message.chatID, text: message.text)
    }
}
