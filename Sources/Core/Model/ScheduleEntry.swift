/// A (time zone, slot) pair held by at least one active subscriber: what the scheduler watches.
public struct ScheduleEntry: Sendable, Hashable, Codable {
    public var timeZone: String
    public var slot: Slot

    public init(timeZone: String, slot: Slot) {
        self.timeZone = timeZone
        self.slot = slot
    }
}
