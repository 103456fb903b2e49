import Foundation

/// A failed Bot API call, classified by what the caller should do about it.
///
/// The delivery loop switches on this: wait `retryAfter` without using up an attempt on
/// `.tooManyRequests`, back off and retry when `isRetriable`, mark the user inactive on
/// `.blocked` / `.chatNotFound`, resend to the new id on `.chatMigrated`, give up
/// otherwise. `description` is terse and never contains the bot token or the request
/// URL (which carries the token in its path).
public enum TelegramError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 429: flood control; repeat after the given time.
    case tooManyRequests(retryAfter: Duration)
    /// 403: the user blocked the bot, the account is deactivated, or the bot was kicked.
    case blocked
    /// 400 "chat not found" (also "user not found", "PEER_ID_INVALID").
    case chatNotFound
    /// 400 with `migrate_to_chat_id`: the group became a supergroup with a new id.
    case chatMigrated(newChatID: Int64)
    /// Any other 4xx the request itself caused; repeating it will not help.
    case badRequest(String)
    /// 409: another `getUpdates` is running, or a webhook is set while polling.
    case conflict
    /// 401: the token is wrong or revoked.
    case unauthorized
    /// 5xx from Telegram (or a proxy in front of it).
    case server(status: Int)
    /// No answer within the request timeout.
    case timeout
    /// Connection refused, reset, DNS failure, TLS failure.
    case network
    /// An answer that is not a Bot API envelope.
    case invalidResponse

    /// Classifies an error envelope (`ok: false`). `httpStatus` is used when the body
    /// carries no `error_code`.
    public init(errorCode: Int?, description: String?, parameters: ResponseParameters?, httpStatus: Int? = nil) {
        let code = errorCode ?? httpStatus ?? 0
        let text = description ?? ""
        switch code {
        case 429:
            let seconds = parameters?.retryAfter ?? Self.retryAfterSeconds(in: text) ?? 1
            self = .tooManyRequests(retryAfter: .seconds(max(seconds, 0)))
        case 401:
            self = .unauthorized
        case 403:
            self = .blocked
        case 409:
            self = .conflict
        case 400 where parameters?.migrateToChatID != nil:
            self = .chatMigrated(newChatID: parameters!.migrateToChatID!)
        case 400 where Self.meansChatNotFound(text):
            self = .chatNotFound
        case 500...599:
            self = .server(status: code)
        case 400...499:
            self = .badRequest(text.isEmpty ? "error \(code)" : text)
        default:
            self = .invalidResponse
        }
    }

    /// Whether repeating the same request later can succeed: flood control, server
    /// errors, timeouts and network failures. Everything else needs a different request.
    public var isRetriable: Bool {
        switch self {
        case .tooManyRequests, .server, .timeout, .network: true
        case .blocked, .chatNotFound, .chatMigrated, .badRequest, .conflict, .unauthorized, .invalidResponse: false
        }
    }

    /// Whether the recipient can no longer be reached, so the user should be marked
    /// inactive rather than retried.
    public var isRecipientGone: Bool {
        switch self {
        case .blocked, .chatNotFound: true
        default: false
        }
    }

    /// The wait Telegram asked for, for `.tooManyRequests`.
    public var retryAfter: Duration? {
        if case .tooManyRequests(let retryAfter) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case .tooManyRequests(let retryAfter): "telegram: too many requests, retry after \(retryAfter.components.seconds)s"
        case .blocked: "telegram: forbidden (bot blocked, user deactivated or bot kicked)"
        case .chatNotFound: "telegram: chat not found"
        case .chatMigrated(let newChatID): "telegram: group migrated to supergroup \(newChatID)"
        case .badRequest(let text): "telegram: bad request: \(text)"
        case .conflict: "telegram: conflict (another getUpdates or a webhook is active)"
        case .unauthorized: "telegram: unauthorized (bad bot token)"
        case .server(let status): "telegram: server error \(status)"
        case .timeout: "telegram: request timed out"
        case .network: "telegram: network error"
        case .invalidResponse: "telegram: invalid response"
        }
    }

    /// Returns the error with every occurrence of `token` in its text replaced, for
    /// descriptions that echo request data back.
    public func redacting(_ token: BotToken) -> TelegramError {
        guard case .badRequest(let text) = self, !token.rawValue.isEmpty, text.contains(token.rawValue) else {
            return self
        }
        return .badRequest(text.replacingOccurrences(of: token.rawValue, with: token.description))
    }

    private static func meansChatNotFound(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.contains("chat not found") || lower.contains("user not found") || lower.contains("peer_id_invalid")
    }

    /// Parses "Too Many Requests: retry after 17" for envelopes without `parameters`.
    private static func retryAfterSeconds(in text: String) -> Int? {
        guard let range = text.range(of: "retry after ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
