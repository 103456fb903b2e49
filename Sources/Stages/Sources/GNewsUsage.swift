public import Foundation
public import Core

/// GNews requests made today and why GNews must not be asked right now, kept per source (in
/// memory, and in the news cache when one is shared so every process spends one budget).
///
/// The daily budget is spread over the day: it is cut into `slices` equal parts (24: one per
/// hour, so slot runs of every time zone get a share) and by the end of part i at most
/// ⌈quota·(i+1)/slices⌉ requests may have been made. Unused budget carries forward; an early
/// slot cannot spend the whole day's quota.
public struct GNewsUsage: Sendable, Hashable, Codable {
    /// UTC day number (days since 1970-01-01) the counts are for.
    public var day: Int64
    public var requests: Int
    /// Set after a 403 or when the daily quota is reached: no request before this instant.
    public var exhaustedUntil: Date?
    /// Set after a 429: no request before this instant.
    public var backoffUntil: Date?

    public init(day: Int64, requests: Int = 0, exhaustedUntil: Date? = nil, backoffUntil: Date? = nil) {
        self.day = day
        self.requests = requests
        self.exhaustedUntil = exhaustedUntil
        self.backoffUntil = backoffUntil
    }

    /// UTC day number of `date`.
    public static func day(of date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// This usage as seen at `now`: a new UTC day starts from zero requests.
    public func current(at now: Date) -> GNewsUsage {
        let today = Self.day(of: now)
        return day == today ? self : GNewsUsage(day: today, exhaustedUntil: exhaustedUntil, backoffUntil: backoffUntil)
    }

    /// Requests left today under `quota` (nil: GNews alone decides).
    public func left(quota: Int?) -> Int? { quota.map { max(0, $0 - requests) } }

    /// Requests the budget allows by the end of the slice of the day `now` is in.
    static func allowance(quota: Int, slices: Int, at now: Date) -> Int {
        let slices = max(1, slices)
        let secondOfDay = now.timeIntervalSince1970 - Double(day(of: now)) * 86_400
        let slice = min(slices - 1, Int(secondOfDay / (86_400 / Double(slices))))
        return (quota * (slice + 1) + slices - 1) / slices
    }

    /// Counts one request, or says why it must not be made: the quota is spent (until 00:00
    /// UTC), this slice's share is used up (until the next slice), or a 429 backoff runs.
    mutating func reserve(at now: Date, quota: Int?, slices: Int) -> NewsSourceError? {
        self = current(at: now)
        if let until = exhaustedUntil {
            if now < until { return .quotaExhausted(resetAt: until) }
            exhaustedUntil = nil
        }
        if let until = backoffUntil {
            if now < until { return .rateLimited(retryAfter: .seconds(until.timeIntervalSince(now).rounded(.up))) }
            backoffUntil = nil
        }
        if let quota {
            if requests >= quota {
                let reset = GNewsErrors.nextResetTime(after: now)
                exhaustedUntil = reset
                return .quotaExhausted(resetAt: reset)
            }
            if requests >= Self.allowance(quota: quota, slices: slices, at: now) {
                let length = 86_400 / Double(max(1, slices))
                let next = (now.timeIntervalSince1970 / length).rounded(.down) * length + length
                return .quotaExhausted(resetAt: Date(timeIntervalSince1970: next))
            }
        }
        requests += 1
        return nil
    }

    /// Remembers what an answer from GNews says about the next requests.
    mutating func note(_ error: NewsSourceError, at now: Date) {
        self = current(at: now)
        switch error {
        case .quotaExhausted(let resetAt):
            exhaustedUntil = resetAt ?? GNewsErrors.nextResetTime(after: now)
        case .rateLimited(let retryAfter):
            let wait = min(max(retryAfter?.timeInterval ?? 60, 1), 3600)
            backoffUntil = max(backoffUntil ?? now, now.addingTimeInterval(wait))
        default:
            break
        }
    }
}
