import Foundation

/// Parses the time zones users may type: IANA names and fixed UTC offsets.
public enum TimeZoneName {
    /// Resolves an IANA identifier (`Europe/Berlin`) or an offset (`+3`, `UTC-05:30`, `GMT+2`).
    public static func resolve(_ text: String?) -> TimeZone? {
        guard let raw = text?.trimmingWhitespace(), !raw.isEmpty else { return nil }
        if raw.contains("/") || raw == "UTC" || raw == "GMT" {
            return TimeZone(identifier: raw)
        }
        guard let seconds = offsetSeconds(raw) else { return TimeZone(identifier: raw) }
        return TimeZone(secondsFromGMT: seconds)
    }

    /// Canonical spelling to store: the IANA name as given, or `UTC+HH:MM` for offsets.
    public static func canonical(_ text: String) -> String? {
        let raw = text.trimmingWhitespace()
        if let seconds = offsetSeconds(raw) {
            let sign = seconds < 0 ? "-" : "+"
            let minutes = abs(seconds) / 60
            let hh = minutes / 60, mm = minutes % 60
            return "UTC\(sign)\(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm)"
        }
        guard let zone = TimeZone(identifier: raw), raw.contains("/") || raw == "UTC" else { return nil }
        return zone.identifier
    }

    /// `+3`, `-05:30`, `UTC+3`, `GMT-2`, `UTC+0530` → seconds east of UTC; nil when not an offset.
    static func offsetSeconds(_ raw: String) -> Int? {
        var text = Substring(raw.uppercased())
        for prefix in ["UTC", "GMT"] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        guard let signChar = text.first, signChar == "+" || signChar == "-" else { return nil }
        let body = text.dropFirst()
        // Digits only (Int() alone would take "++3" or "-+3" as a second sign); minutes as two digits.
        guard body.allSatisfy({ $0.isASCIIDigit || $0 == ":" }) else { return nil }
        let hours: Int, minutes: Int
        if let colon = body.firstIndex(of: ":") {
            let minuteText = body[body.index(after: colon)...]
            guard minuteText.count == 2, let h = Int(body[..<colon]), let m = Int(minuteText) else { return nil }
            hours = h; minutes = m
        } else if body.count == 4, let value = Int(body) {
            hours = value / 100; minutes = value % 100
        } else if let h = Int(body), body.count <= 2 {
            hours = h; minutes = 0
        } else {
            return nil
        }
        guard (0...14).contains(hours), [0, 15, 30, 45].contains(minutes) else { return nil }
        let total = hours * 3600 + minutes * 60
        return signChar == "-" ? -total : total
    }
}
