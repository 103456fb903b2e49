import Foundation
public import Core
public import Feeds

/// Maps what GNews answers besides articles to `NewsSourceError`: HTTP statuses (403 is the
/// daily quota, which resets at 00:00 UTC) and `{"errors": …}` bodies. Shared by the HTTP client
/// and the fixture source, so a replay batch can exercise the same fallback as production.
public enum GNewsErrors {
    /// The error for a non-200 status. `message` is GNews' own error text, already redacted.
    public static func error(status: Int, message: String?, retryAfter: Duration?, now: Date) -> NewsSourceError {
        switch status {
        case 400: .badRequest(message ?? "HTTP 400")
        case 401: .unauthorized
        case 403: .quotaExhausted(resetAt: nextResetTime(after: now))
        case 429: .rateLimited(retryAfter: retryAfter)
        case 500...599: .server(status: status)
        default: .invalidResponse("HTTP \(status)")
        }
    }

    /// The error for an `{"errors": …}` body that came with a 200 (or from a fixture file),
    /// judged from GNews' wording.
    public static func error(message: String, now: Date) -> NewsSourceError {
        let lower = message.lowercased()
        if lower.contains("request limit") || lower.contains("quota") { return .quotaExhausted(resetAt: nextResetTime(after: now)) }
        if lower.contains("too many requests") { return .rateLimited(retryAfter: nil) }
        if lower.contains("api key") || lower.contains("apikey") { return .unauthorized }
        return .badRequest(message)
    }

    /// A parse failure of a GNews body as a source error.
    public static func error(_ failure: FeedError, now: Date) -> NewsSourceError {
        if failure.kind == .gnewsError { return error(message: failure.detail ?? "", now: now) }
        return .invalidResponse(failure.description)
    }

    /// The next 00:00 UTC strictly after `now`: when GNews' daily quota resets.
    public static func nextResetTime(after now: Date) -> Date {
        let day = (now.timeIntervalSince1970 / 86_400).rounded(.down)
        return Date(timeIntervalSince1970: (day + 1) * 86_400)
    }
}
