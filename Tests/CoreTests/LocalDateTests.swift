import Core
import Foundation
import Testing

@Suite("LocalDate")
struct LocalDateTests {
    private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    private func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier)! }

    @Test func parsesAndPrints() throws {
        let date = try #require(LocalDate("2026-03-09"))
        #expect(date.year == 2026 && date.month == 3 && date.day == 9)
        #expect(date.description == "2026-03-09")
        #expect(LocalDate(year: 7, month: 1, day: 2)?.description == "0007-01-02")
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01", "", "2026-01-32"])
    func rejectsInvalid(_ text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func knowsLeapYears() {
        #expect(LocalDate("2028-02-29") != nil)
        #expect(LocalDate("2100-02-29") == nil)
    }

    @Test func dateOfAnInstantDependsOnTheZone() {
        let instant = utc("2026-11-26T23:30:00Z")
        #expect(LocalDate(instant, in: zone("UTC")).description == "2026-11-26")
        #expect(LocalDate(instant, in: zone("Asia/Tokyo")).description == "2026-11-27")
        #expect(LocalDate(utc("2026-11-27T03:00:00Z"), in: zone("America/Los_Angeles")).description == "2026-11-26")
    }

    @Test func addsDaysAcrossMonthsAndYears() {
        #expect(LocalDate("2026-12-31")!.next.description == "2027-01-01")
        #expect(LocalDate("2026-03-01")!.adding(days: -1).description == "2026-02-28")
        #expect(LocalDate("2026-03-29")!.adding(days: 30).description == "2026-04-28")
        #expect(LocalDate("2026-01-01")! < LocalDate("2026-01-02")!)
        #expect(LocalDate("2025-12-31")! < LocalDate("2026-01-01")!)
    }

    @Test func instantOnAnOrdinaryDay() {
        let date = LocalDate("2026-11-26")!
        #expect(date.instant(at: Slot("08:00")!, in: zone("Europe/Berlin")) == utc("2026-11-26T07:00:00Z"))
        #expect(date.instant(at: Slot("08:00")!, in: zone("Asia/Kolkata")) == utc("2026-11-26T02:30:00Z"))
        #expect(date.instant(at: Slot("00:00")!, in: zone("UTC")) == utc("2026-11-26T00:00:00Z"))
    }

    /// Spring forward: 02:00 → 03:00. A slot in the skipped hour fires at the first valid minute after it.
    @Test(arguments: [
        ("Europe/Berlin", "2026-03-29", "02:30", "2026-03-29T01:00:00Z"),
        ("Europe/Berlin", "2026-03-29", "02:00", "2026-03-29T01:00:00Z"),
        ("Europe/Berlin", "2026-03-29", "03:00", "2026-03-29T01:00:00Z"),
        ("Europe/Berlin", "2026-03-29", "01:59", "2026-03-29T00:59:00Z"),
        ("America/New_York", "2026-03-08", "02:30", "2026-03-08T07:00:00Z"),
    ])
    func skippedHour(_ zoneName: String, _ day: String, _ slot: String, _ expected: String) {
        #expect(LocalDate(day)!.instant(at: Slot(slot)!, in: zone(zoneName)) == utc(expected))
    }

    /// Fall back: 03:00 → 02:00. A slot in the repeated hour fires at its first occurrence.
    @Test(arguments: [
        ("Europe/Berlin", "2026-10-25", "02:30", "2026-10-25T00:30:00Z"),
        ("Europe/Berlin", "2026-10-25", "02:00", "2026-10-25T00:00:00Z"),
        ("Europe/Berlin", "2026-10-25", "03:00", "2026-10-25T02:00:00Z"),
        ("America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z"),
    ])
    func repeatedHour(_ zoneName: String, _ day: String, _ slot: String, _ expected: String) {
        #expect(LocalDate(day)!.instant(at: Slot(slot)!, in: zone(zoneName)) == utc(expected))
    }

    @Test func instantLiesOnTheSameLocalDate() {
        let berlin = zone("Europe/Berlin")
        for day in ["2026-03-29", "2026-10-25", "2026-06-01"] {
            let date = LocalDate(day)!
            for slot in ["00:00", "02:30", "23:59"].compactMap(Slot.init) {
                #expect(LocalDate(date.instant(at: slot, in: berlin), in: berlin) == date)
            }
        }
    }

    @Test func codesAsYYYYMMDD() throws {
        #expect(String(decoding: try JSONEncoder().encode([LocalDate("2026-11-26")!]), as: UTF8.self) == #"["2026-11-26"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2026-11-31"]"#.utf8)) }
    }
}
