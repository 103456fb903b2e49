/// The idempotency key of one message: (user, slot, local date, part). A message with a key
/// already in the delivery ledger is never sent again.
public struct DeliveryKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var userID: Int64
    public var slot: Slot
    public var date: LocalDate
    /// 1-based part number.
    public var part: Int

    public init(userID: Int64, slot: Slot, date: LocalDate, part: Int) {
        self.userID = userID
        self.slot = slot
        self.date = date
        self.part = part
    }

    /// `42:08:00:2026-11-26:1`
    public var description: String { "\(userID):\(slot):\(date):\(part)" }
}
