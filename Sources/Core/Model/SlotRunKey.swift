/// Identifies one slot run: (pipeline, slot, local date). Created once; triggering it again
/// resumes it.
public struct SlotRunKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var pipeline: String
    public var slot: Slot
    public var date: LocalDate

    public init(pipeline: String, slot: Slot, date: LocalDate) {
        self.pipeline = pipeline
        self.slot = slot
        self.date = date
    }

    /// `daily/08:00/2026-11-26` — the run's name in `pipeline status` and the CLI.
    public var description: String { "\(pipeline)/\(slot)/\(date)" }

    /// Parses the `description` form.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count >= 3, let slot = Slot(String(parts[parts.count - 2])),
              let date = LocalDate(String(parts[parts.count - 1])) else { return nil }
        self.init(pipeline: parts.dropLast(2).joined(separator: "/"), slot: slot, date: date)
    }

    public static func < (lhs: SlotRunKey, rhs: SlotRunKey) -> Bool {
        (lhs.date, lhs.slot, lhs.pipeline) < (rhs.date, rhs.slot, rhs.pipeline)
    }
}
