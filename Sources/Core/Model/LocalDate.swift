import Foundation

/// A calendar date in some time zone, `YYYY-MM-DD`: the "local date" of a slot run.
public struct LocalDate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date `instant` falls on in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The instant at `slot` on this date in `timeZone`. In a skipped (spring-forward) hour this is
    /// the first valid minute after it; in a repeated hour, the first occurrence.
    public func instant(at slot: Slot, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: slot.hour, minute: slot.minute)
        if let date = calendar.date(from: components),
           calendar.component(.hour, from: date) == slot.hour, calendar.component(.minute, from: date) == slot.minute {
            // Repeated hour: step back to the earlier occurrence if it exists.
            let earlier = date.addingTimeInterval(-3600)
            if calendar.component(.hour, from: earlier) == slot.hour, calendar.component(.minute, from: earlier) == slot.minute,
               LocalDate(earlier, in: timeZone) == self {
                return earlier
            }
            return date
        }
        // Skipped hour: find the first minute after the gap.
        let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        var probe = midnight
        while probe < midnight.addingTimeInterval(26 * 3600) {
            let c = calendar.dateComponents([.hour, .minute], from: probe)
            if (c.hour! * 60 + c.minute!) >= slot.minuteOfDay { return probe }
            probe = probe.addingTimeInterval(60)
        }
        return probe
    }

    /// The next calendar day.
    public var next: LocalDate { adding(days: 1) }

    public func adding(days: Int) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day + days))!
        return LocalDate(date, in: calendar.timeZone)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "date must be YYYY-MM-DD"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
