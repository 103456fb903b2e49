import Core
import Foundation
import Testing

@Suite("TimeZoneName")
struct TimeZoneNameTests {
    @Test(arguments: [
        ("+3", 10_800), ("-5", -18_000), ("UTC+03:00", 10_800), ("UTC-05:30", -19_800), ("GMT+2", 7_200),
        ("UTC+0530", 19_800), ("+14", 50_400), ("-12:00", -43_200), ("utc+1", 3_600), (" +05:45 ", 20_700),
    ])
    func resolvesOffsets(_ text: String, _ seconds: Int) throws {
        #expect(try #require(TimeZoneName.resolve(text)).secondsFromGMT() == seconds)
    }

    @Test(arguments: ["+15", "+3:20", "UTC+", "+3:0", "++3", "Mars/Olympus_Mons", "", "   "])
    func rejects(_ text: String) {
        #expect(TimeZoneName.resolve(text) == nil)
    }

    @Test func resolvesIANANames() throws {
        #expect(TimeZoneName.resolve("Europe/Berlin")?.identifier == "Europe/Berlin")
        #expect(TimeZoneName.resolve(" Asia/Tokyo ")?.secondsFromGMT() == 9 * 3600)
        #expect(TimeZoneName.resolve("UTC")?.secondsFromGMT() == 0)
        #expect(TimeZoneName.resolve(nil) == nil)
    }

    @Test func canonicalSpelling() {
        #expect(TimeZoneName.canonical("+3") == "UTC+03:00")
        #expect(TimeZoneName.canonical("gmt-5:30") == "UTC-05:30")
        #expect(TimeZoneName.canonical("+0") == "UTC+00:00")
        #expect(TimeZoneName.canonical("Europe/Berlin") == "Europe/Berlin")
        #expect(TimeZoneName.canonical("Mars/Olympus_Mons") == nil)
        #expect(TimeZoneName.canonical("hello") == nil)
        // What canonical returns, resolve accepts.
        for text in ["+3", "-9:30", "Europe/Berlin", "America/New_York"] {
            let canonical = TimeZoneName.canonical(text)!
            #expect(TimeZoneName.resolve(canonical)?.secondsFromGMT() == TimeZoneName.resolve(text)?.secondsFromGMT())
        }
    }

    @Test func subscribersWithoutAValidZoneUseUTC() {
        #expect(Subscriber(id: 1, chatID: 1, timeZone: nil).resolvedTimeZone.secondsFromGMT() == 0)
        #expect(Subscriber(id: 1, chatID: 1, timeZone: "Nowhere/Special").resolvedTimeZone.secondsFromGMT() == 0)
        #expect(Subscriber(id: 1, chatID: 1, timeZone: "UTC+03:00").resolvedTimeZone.secondsFromGMT() == 10_800)
    }
}
