import Foundation

/// Why a news source gave nothing. Descriptions never contain API keys or full request URLs.
public enum NewsSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// GNews 403: the daily quota is spent until `resetAt` (00:00 UTC).
    case quotaExhausted(resetAt: Date?)
    /// 429: too many requests.
    case rateLimited(retryAfter: Duration?)
    case unauthorized
    case badRequest(String)
    case server(status: Int)
    case timeout
    case network(String)
    case invalidResponse(String)
    /// The source has nothing configured for this query.
    case notConfigured

    public var description: String {
        switch self {
        case .quotaExhausted: "daily quota exhausted"
        case .rateLimited: "rate limited (429)"
        case .unauthorized: "unauthorized (check the API key)"
        case .badRequest(let message): "bad request: \(message)"
        case .server(let status): "server error \(status)"
        case .timeout: "timed out"
        case .network(let message): "network error: \(message)"
        case .invalidResponse(let message): "invalid response: \(message)"
        case .notConfigured: "not configured for this topic"
        }
    }

    /// Whether trying again later in the same run may help.
    public var isRetriable: Bool {
        switch self {
        case .rateLimited, .server, .timeout, .network: true
        default: false
        }
    }
}
