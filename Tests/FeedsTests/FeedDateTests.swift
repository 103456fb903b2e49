import Feeds
import Foundation
import Testing

@Suite struct FeedDateTests {
    /// (input, expected instant in ISO 8601 UTC).
    static let valid: [(String, String)] = [
        // RFC 822 / 2822
        ("Thu, 26 Nov 2026 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00 +0000", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00 GMT", "2026-11-26T08:00:00Z"),
        ("26 Nov 2026 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Thu,26 Nov 2026 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Thu, 6 Nov 2026 08:00:00 GMT", "2026-11-06T08:00:00Z"),
        ("Thu, 26 nov 2026 08:00:00 gmt", "2026-11-26T08:00:00Z"),
        ("THU, 26 NOV 2026 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Thursday, 26 November 2026 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Tue, 1 Sept 2026 08:00:00 GMT", "2026-09-01T08:00:00Z"),
        ("Wed, 25 Nov 2026 23:30:00 EST", "2026-11-26T04:30:00Z"),
        ("Thu, 26 Nov 2026 09:00:00 EDT", "2026-11-26T13:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00 PST", "2026-11-26T16:00:00Z"),
        ("Thu, 26 Nov 2026 11:00:00 MSK", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 09:00:00 CET", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 13:30:00 IST", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00 UT", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00 Z", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 11:00:00 +0300", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 11:00:00 +03:00", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 11:00:00 +03", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 02:30:00 -0530", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 11:00:00 GMT+3", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 11:00:00 UTC+03:00", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 26 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Fri, 31 Dec 99 23:59:59 GMT", "1999-12-31T23:59:59Z"),
        ("Sat, 01 Jan 49 00:00:00 GMT", "2049-01-01T00:00:00Z"),
        ("Sat, 01 Jan 50 00:00:00 GMT", "1950-01-01T00:00:00Z"),
        ("Thu, 26 Nov 2026 8:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00.750 GMT", "2026-11-26T08:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00 +0000 (UTC)", "2026-11-26T08:00:00Z"),
        ("Thursday, 26-Nov-26 08:00:00 GMT", "2026-11-26T08:00:00Z"),
        ("Thu Nov 26 08:00:00 2026", "2026-11-26T08:00:00Z"),
        ("Thu Nov 26 08:00:00 UTC 2026", "2026-11-26T08:00:00Z"),
        ("Nov 26, 2026 08:00:00 PM GMT", "2026-11-26T20:00:00Z"),
        ("Thu, 26 Nov 2026 12:00:00 AM GMT", "2026-11-26T00:00:00Z"),
        ("Thu, 26 Nov 2026 08:00:00+0000", "2026-11-26T08:00:00Z"),
        ("  Thu, 26 Nov 2026 08:00:00 GMT \n", "2026-11-26T08:00:00Z"),
        ("Tue, 29 Feb 2028 12:00:00 GMT", "2028-02-29T12:00:00Z"),
        ("Thu, 26 Nov 2026", "2026-11-26T00:00:00Z"),
        ("26 Nov 2026 GMT", "2026-11-26T00:00:00Z"),
        ("Thu, 31 Dec 2026 23:59:60 GMT", "2026-12-31T23:59:59Z"),
        // ISO 8601 / RFC 3339
        ("2026-11-26T08:00:00Z", "2026-11-26T08:00:00Z"),
        ("2026-11-26T08:00:00.123Z", "2026-11-26T08:00:00Z"),
        ("2026-11-26T08:00:00,5Z", "2026-11-26T08:00:00Z"),
        ("2026-11-26T08:00:00.123456789+00:00", "2026-11-26T08:00:00Z"),
        ("2026-11-26T11:00:00+03:00", "2026-11-26T08:00:00Z"),
        ("2026-11-26T11:00:00+0300", "2026-11-26T08:00:00Z"),
        ("2026-11-26T11:00:00+03", "2026-11-26T08:00:00Z"),
        ("2026-11-26T03:00:00-05:00", "2026-11-26T08:00:00Z"),
        ("2026-11-26T08:00Z", "2026-11-26T08:00:00Z"),
        ("2026-11-26T11:00+03:00", "2026-11-26T08:00:00Z"),
        ("2026-11-26T08:00:00", "2026-11-26T08:00:00Z"),
        ("2026-11-26 08:00:00", "2026-11-26T08:00:00Z"),
        ("2026-11-26 08:00:00 +0000", "2026-11-26T08:00:00Z"),
        ("2026-11-26 08:00:00 UTC", "2026-11-26T08:00:00Z"),
        ("2026-11-26t08:00:00z", "2026-11-26T08:00:00Z"),
        ("2026-11-26", "2026-11-26T00:00:00Z"),
        ("2026-11-26T24:00:00Z", "2026-11-27T00:00:00Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ]

    @Test(arguments: valid)
    func parses(_ input: String, _ expected: String) {
        #expect(FeedDate.parse(input).map(FeedDate.iso8601UTC) == expected, "\(input)")
    }

    @Test(arguments: [
        "", "   ", "yesterday", "Nov 2026", "Thu, 26 Nov", "Thu, 31 Nov 2026 08:00:00 GMT",
        "Thu, 29 Feb 2027 08:00:00 GMT", "Thu, 26 Nov 2026 25:00:00 GMT", "Thu, 26 Nov 2026 08:61:00 GMT",
        "Thu, 26 Foo 2026 08:00:00 GMT", "Thu, 26 Nov 2026 08:00:00 XYZ", "Thu, 26 Nov 2026 08:00:00 +2500",
        "2026-13-01T00:00:00Z", "2026-11-26T08:00:00Q", "2026-11-26T8", "2026-11-26T08:00:00+03:00extra",
        "Jeu, 26 Nov 2026 08:00:00 +0100", "Thu, 26 Nov 2026 13:00:00 PM GMT", "1732608000",
    ])
    func rejects(_ input: String) {
        #expect(FeedDate.parse(input) == nil, "\(input)")
    }

    @Test func keepsFractionalSeconds() throws {
        let date = try #require(FeedDate.parse("2026-11-26T08:00:00.250Z"))
        let whole = try #require(FeedDate.parse("2026-11-26T08:00:00Z"))
        #expect(abs(date.timeIntervalSince(whole) - 0.25) < 0.000_1)
    }

    @Test func agreesWithFoundationOnAFixedInstant() throws {
        // 1_795_680_000 is 2026-11-26T08:00:00Z.
        #expect(FeedDate.parse("Thu, 26 Nov 2026 08:00:00 GMT") == Date(timeIntervalSince1970: 1_795_680_000))
        #expect(FeedDate.iso8601UTC(Date(timeIntervalSince1970: 1_795_680_000)) == "2026-11-26T08:00:00Z")
        let formatter = ISO8601DateFormatter()
        for (input, _) in Self.valid {
            let date = try #require(FeedDate.parse(input))
            #expect(FeedDate.iso8601UTC(date) == formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))))
        }
    }

    @Test func formatsWholeSecondsBeforeTheEpoch() {
        #expect(FeedDate.iso8601UTC(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
        #expect(FeedDate.iso8601UTC(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }
}
