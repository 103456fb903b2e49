import Core
import Foundation
import Testing
@testable import Chat

@Suite("NextDelivery")
struct NextDeliveryTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func laterTodayOrTomorrowInTheUsersZone() throws {
        // 2026-11-26 07:30 in Berlin (06:30 UTC).
        let now = Date(timeIntervalSince1970: 1_795_674_600)
        let today = try #require(NextDelivery(slots: [Slot("08:00")!, Slot("19:00")!], zone: berlin, after: now))
        #expect(today.isToday && today.time == "08:00")
        #expect(today.date.timeIntervalSince(now) == 1800)
        let tomorrow = try #require(NextDelivery(slots: [Slot("07:00")!], zone: berlin, after: now))
        #expect(!tomorrow.isToday && tomorrow.time == "07:00")
        #expect(tomorrow.line(.forLanguage(.ru)) == "Следующая подборка: завтра в 07:00.")
        #expect(NextDelivery(slots: [], zone: berlin, after: now) == nil)
    }

    @Test func aSlotInTheSpringGapMovesToTheNextValidTime() throws {
        // 2026-03-29 01:00 in Berlin; 02:30 does not exist that night.
        let now = Date(timeIntervalSince1970: 1_774_742_400)
        let next = try #require(NextDelivery(slots: [Slot("02:30")!], zone: berlin, after: now))
        #expect(next.isToday)
        #expect(next.time == "03:00" || next.time == "03:30")
    }

    /// The arithmetic answer, wherever it gives one, is the calendar's: zones with and without
    /// daylight saving (Lord Howe moves by 30 minutes, Chatham sits at +12:45), every 47 minutes
    /// across the days around both 2026 transitions in Europe and America.
    @Test(arguments: ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"])
    func theSteadyOffsetAnswerIsTheCalendars(_ identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let slots = [Slot("00:00")!, Slot("02:30")!, Slot("08:00")!, Slot("23:59")!]
        var checked = 0
        // 2026-03-06 … 2026-04-09 and 2026-10-23 … 2026-11-06 (UTC), every 47 minutes.
        for (start, days) in [(1_772_755_200.0, 34.0), (1_792_713_600.0, 14.0)] {
            var now = start
            while now < start + days * 86_400 {
                let date = Date(timeIntervalSince1970: now)
                for chosen in [slots, [slots[1]], [slots[3], slots[0]]] {
                    if let steady = NextDelivery.steadyOffset(slots: chosen, zone: zone, after: date) {
                        #expect(steady == NextDelivery(calendar: chosen, zone: zone, after: date), "\(identifier) at \(date)")
                        checked += 1
                    }
                }
                now += 47 * 60
            }
        }
        #expect(checked > 3_000)
    }
}
