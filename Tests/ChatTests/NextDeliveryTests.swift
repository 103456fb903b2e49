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
}
