import Foundation

extension FeedDate {
    /// RFC 822 / RFC 2822 and the looser forms feeds write: `[Weekday,] DD Mon YY[YY]
    /// HH:MM[:SS] [zone]`, also with the month first, the year after the time (asctime
    /// style), RFC 850's `DD-Mon-YY`, full or lowercase names, `AM`/`PM`, and a zone after
    /// the year or missing. Without a time the date means midnight.
    static func parseRFC822(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .flatMap { token -> [Substring] in
                // RFC 850 writes the date as one token: "26-Nov-26".
                token.first?.isNumber == true && token.contains("-") && token.contains(where: \.isLetter)
                    ? token.split(separator: "-") : [token]
            }
        var numbers: [Substring] = []
        var month: Int64?
        var time: (hour: Int64, minute: Int64, second: Int64, fraction: Double)?
        var offset: Int64?
        var meridiem: String?
        for token in tokens {
            let lower = token.lowercased()
            if token.contains(":") && token.first.map({ $0.isNumber }) == true {
                guard time == nil, let parsed = parseTime(token) else { return nil }
                time = parsed
                // "10:00:00+0300" or "10:00:00Z" glued to the time.
                if let zoneStart = token.firstIndex(where: { $0 == "+" || $0 == "-" || $0.isLetter }) {
                    guard offset == nil, let zone = zoneOffset(String(token[zoneStart...])) else { return nil }
                    offset = zone
                }
            } else if token.allSatisfy({ $0.isASCII && $0.isNumber }) {
                numbers.append(token)
            } else if token.hasSuffix("."), token.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }) {
                numbers.append(token.dropLast())
            } else if let value = monthNumber(lower) {
                guard month == nil else { return nil }
                month = value
            } else if isWeekday(lower) {
                continue
            } else if lower == "am" || lower == "pm" {
                meridiem = lower
            } else if let zone = zoneOffset(String(token)) {
                guard offset == nil else { return nil }
                offset = zone
            } else {
                return nil
            }
        }
        guard let month, numbers.count == 2 else { return nil }
        let clock = time ?? (hour: 0, minute: 0, second: 0, fraction: 0)  // a date alone means midnight
        // RFC order is day then year; a four-digit first number means year first.
        var (dayText, yearText) = (numbers[0], numbers[1])
        if dayText.count >= 3 { swap(&dayText, &yearText) }
        guard dayText.count <= 2, let day = Int64(dayText), var year = Int64(yearText) else { return nil }
        switch yearText.count {
        case 1, 2: year += year < 50 ? 2000 : 1900  // RFC 2822 §4.3
        case 3: year += 1900
        case 4: break
        default: return nil
        }
        var hour = clock.hour
        if let meridiem {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (meridiem == "pm" ? 12 : 0)
        }
        return makeDate(
            year: year, month: month, day: day, hour: hour, minute: clock.minute,
            second: clock.second, fraction: clock.fraction, offsetSeconds: offset ?? 0
        )
    }

    /// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, possibly followed by a glued zone.
    private static func parseTime(_ token: Substring) -> (Int64, Int64, Int64, Double)? {
        let end = token.firstIndex(where: { $0 == "+" || $0 == "-" || $0.isLetter }) ?? token.endIndex
        var scanner = ByteScanner(Array(token[..<end].utf8))
        guard let hour = scanner.number(digits: 1...2), scanner.skip(":"),
              let minute = scanner.number(digits: 2...2)
        else { return nil }
        var second: Int64 = 0, fraction = 0.0
        if scanner.skip(":") {
            guard let s = scanner.number(digits: 2...2) else { return nil }
            second = s
            if scanner.skip(".") || scanner.skip(",") {
                guard let f = scanner.fraction() else { return nil }
                fraction = f
            }
        }
        return scanner.atEnd ? (hour, minute, second, fraction) : nil
    }

    private static let months = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    /// 1–12 for a month name: three letters or more of the English name ("Sep", "Sept",
    /// "September"), any case, an abbreviating dot allowed.
    private static func monthNumber(_ lower: String) -> Int64? {
        let name = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
        guard name.count >= 3 else { return nil }
        return months.firstIndex(where: { $0.hasPrefix(name) }).map { Int64($0 + 1) }
    }

    private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    private static func isWeekday(_ lower: String) -> Bool {
        let name = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
        return name.count >= 2 && weekdays.contains(where: { $0.hasPrefix(name) })
    }

    /// Offsets of the zone abbreviations seen in feeds, in minutes east of UTC. Ambiguous
    /// ones take the meaning news feeds use (IST: India; BST: British Summer Time).
    private static let namedZones: [String: Int64] = [
        "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
        "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
        "akst": -540, "akdt": -480, "hst": -600, "ast": -240, "adt": -180,
        "nst": -210, "ndt": -150,
        "bst": 60, "ist": 330, "cet": 60, "cest": 120, "met": 60, "mest": 120,
        "west": 60, "eet": 120, "eest": 180, "msk": 180, "msd": 240,
        "sast": 120, "wat": 60, "cat": 120, "eat": 180, "pkt": 300, "ict": 420,
        "wib": 420, "hkt": 480, "sgt": 480, "awst": 480,
        "jst": 540, "kst": 540, "acst": 570, "aest": 600, "aedt": 660,
        "nzst": 720, "nzdt": 780,
    ]

    /// Seconds east of UTC for `Z`, a zone name, `±HHMM`, `±HH:MM`, `±HH`, or a name
    /// followed by an offset (`GMT+3`, `UTC+03:00`).
    static func zoneOffset(_ text: String) -> Int64? {
        let lower = text.lowercased()
        if let minutes = namedZones[lower] { return minutes * 60 }
        guard let signIndex = lower.firstIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let prefix = lower[..<signIndex]
        guard prefix.isEmpty || prefix == "gmt" || prefix == "utc" || prefix == "ut" else { return nil }
        let sign: Int64 = lower[signIndex] == "-" ? -1 : 1
        let digits = lower[lower.index(after: signIndex)...].filter { $0 != ":" }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { return nil }
        let hours: Int64, minutes: Int64
        switch digits.count {
        case 1, 2: (hours, minutes) = (value, 0)
        case 3, 4: (hours, minutes) = (value / 100, value % 100)
        default: return nil
        }
        guard hours <= 18, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}
