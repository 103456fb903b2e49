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
