import Core

/// One user's digest for one (slot, local date): the unit that is stored all-or-nothing.
struct DigestID: Hashable, Sendable, Comparable {
    var userID: Int64
    var slot: Slot
    var date: LocalDate

    init(userID: Int64, slot: Slot, date: LocalDate) {
        self.userID = userID
        self.slot = slot
        self.date = date
    }

    init(_ key: DeliveryKey) {
        self.init(userID: key.userID, slot: key.slot, date: key.date)
    }

    static func < (lhs: DigestID, rhs: DigestID) -> Bool {
        (lhs.userID, lhs.slot, lhs.date) < (rhs.userID, rhs.slot, rhs.date)
    }
}
