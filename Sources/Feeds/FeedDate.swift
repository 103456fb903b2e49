public import Foundation

/// Parses the date formats feeds actually use and formats dates for machine output.
///
/// Feeds write RFC 822 (`pubDate`) and ISO 8601 (`dc:date`, Atom) dates with every variant
/// one can imagine: no seconds, no weekday, a wrong weekday, lowercase or full month names,
/// two-digit years, named zones, offsets with or without a colon, fractional seconds, a
/// space instead of `T`. `DateFormatter` patterns cover only one variant each, so this is a
/// small hand-written scanner; calendar arithmetic is done directly in UTC (proleptic
/// Gregorian), which needs no locale, time zone database or shared formatter.
public enum FeedDate {
    /// The date, or nil when `text` is not a recognisable date. A missing zone means UTC.
    public static func parse(_ text: String) -> Date? {
        var scalars = Array(text.unicodeScalars)
        // Drop a trailing comment such as "(UTC)" or "(Moscow Standard Time)".
        if let open = scalars.firstIndex(of: "("), scalars.last == ")" {
            scalars.removeSubrange(open...)
        }
        let trimmed = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let bytes = Array(trimmed.utf8)
        if bytes.count >= 10, bytes[0...3].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-") {
            return parseISO8601(bytes)
        }
        return parseRFC822(trimmed)
    }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC, whole seconds: the `published` format of
    /// `sources check --json` and of the fixture expectations.
    public static func iso8601UTC(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (year, month, day) = civil(fromDays: days)
        let hour = rest / 3600, minute = (rest % 3600) / 60, second = rest % 60
        return String(
            format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
            year, month, day, hour, minute, second
        )
    }

    // MARK: calendar arithmetic (Howard Hinnant's days-from-civil algorithms)

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays value: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = value + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The instant of validated date and time fields; nil when a field is out of range.
    /// A leap second (`:60`) is folded into the following second's predecessor.
    static func makeDate(
        year: Int64, month: Int64, day: Int64,
        hour: Int64, minute: Int64, second: Int64, fraction: Double,
        offsetSeconds: Int64
    ) -> Date? {
        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              hour < 24 || (minute == 0 && second == 0)
        else { return nil }
        let clampedSecond = min(second, 59)
        let seconds = days(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + clampedSecond - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
