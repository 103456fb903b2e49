import Core
import Foundation

/// When a subscriber's next digest is due, for the summary after `/subscribe` and `/time`:
/// the first of their slots to come round in their time zone after now (daylight-saving gaps
/// move a slot to the next valid time, as the scheduler does).
struct NextDelivery: Sendable, Hashable {
    let date: Date
    /// Whether it falls on the subscriber's current local day.
    let isToday: Bool
    /// Local time of day, `HH:MM`.
    let time: String

    init?(slots: [Slot], zone: TimeZone, after now: Date) {
        if let steady = Self.steadyOffset(slots: slots, zone: zone, after: now) {
            self = steady
            return
        }
        self.init(calendar: slots, zone: zone, after: now)
    }

    private init(date: Date, isToday: Bool, time: String) {
        self.date = date
        self.isToday = isToday
        self.time = time
    }

    /// The answer by arithmetic on the zone's offset now, when the offset does not change before
    /// that slot (no daylight-saving transition between): what `init(calendar:)` answers then,
    /// without Foundation's calendar search (most of a subscription summary's cost).
    static func steadyOffset(slots: [Slot], zone: TimeZone, after now: Date) -> NextDelivery? {
        let offset = Double(zone.secondsFromGMT(for: now))
        let local = now.timeIntervalSince1970 + offset
        let dayStart = (local / 86_400).rounded(.down) * 86_400
        var best: (local: Double, slot: Slot)?
        for slot in slots {
            let time = dayStart + Double(slot.hour * 3_600 + slot.minute * 60)
            // Strictly after now, as `Calendar.nextDate(after:)`.
            let next = time > local ? time : time + 86_400
            if best.map({ next < $0.local }) ?? true { best = (next, slot) }
        }
        guard let best else { return nil }
        let date = Date(timeIntervalSince1970: best.local - offset)
        if let transition = zone.nextDaylightSavingTimeTransition(after: now), transition <= date { return nil }
        guard zone.secondsFromGMT(for: date) == Int(offset) else { return nil }
        return NextDelivery(date: date, isToday: best.local < dayStart + 86_400, time: best.slot.description)
    }

    /// The calendar's answer, for any zone and date.
    init?(calendar slots: [Slot], zone: TimeZone, after now: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let candidates = slots.compactMap { slot in
            calendar.nextDate(after: now, matching: DateComponents(hour: slot.hour, minute: slot.minute, second: 0),
                              matchingPolicy: .nextTime)
        }
        guard let next = candidates.min() else { return nil }
        date = next
        isToday = calendar.isDate(next, inSameDayAs: now)
        let parts = calendar.dateComponents([.hour, .minute], from: next)
        time = Slot(hour: parts.hour ?? 0, minute: parts.minute ?? 0)?.description ?? "00:00"
    }

    /// "Next digest: today at 08:00." in the subscriber's language.
    func line(_ strings: ChatStrings) -> String {
        isToday ? strings.nextDigestToday(time) : strings.nextDigestTomorrow(time)
    }
}
