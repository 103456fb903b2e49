import Foundation

extension FeedDate {
    /// `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)fraction]]][ ](Z|z|±HH[[:]MM]|UTC|GMT)`, also a date
    /// alone (midnight UTC).
    static func parseISO8601(_ bytes: [UInt8]) -> Date? {
        var scanner = ByteScanner(bytes)
        guard let year = scanner.number(digits: 4...4), scanner.skip("-"),
              let month = scanner.number(digits: 1...2), scanner.skip("-"),
              let day = scanner.number(digits: 1...2)
        else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, fraction = 0.0
        var offset: Int64 = 0
        if !scanner.atEnd {
            guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" ") else { return nil }
            scanner.skipSpaces()
            guard let h = scanner.number(digits: 1...2), scanner.skip(":"),
                  let m = scanner.number(digits: 2...2)
            else { return nil }
            hour = h
            minute = m
            if scanner.skip(":") {
                guard let s = scanner.number(digits: 2...2) else { return nil }
                second = s
                if scanner.skip(".") || scanner.skip(",") {
                    guard let f = scanner.fraction() else { return nil }
                    fraction = f
                }
            }
            scanner.skipSpaces()
            if !scanner.atEnd {
                guard let zone = zoneOffset(String(decoding: scanner.rest, as: UTF8.self)) else { return nil }
                offset = zone
                scanner.skipToEnd()
            }
        }
        guard scanner.atEnd else { return nil }
        return makeDate(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: fraction, offsetSeconds: offset
        )
    }
}
