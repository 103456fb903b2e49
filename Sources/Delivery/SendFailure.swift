import Core
import Telegram

/// What a failed `sendMessage` means for its job. Telegram's own classification
/// (`TelegramError`) mapped onto the delivery rules of DESIGN.md step 6.
enum SendFailure: Sendable, Hashable {
    /// 429: wait `retry_after` without using an attempt; the whole bot waits too.
    case rateLimited(Duration)
    /// 403 blocked / deactivated / kicked, 400 chat not found: mark the user, never retry.
    case recipientGone(String)
    /// 5xx, timeouts, network failures: back off and retry, then dead-letter.
    case transient(String)
    /// Any other 4xx: the request itself is wrong; retrying cannot help.
    case permanent(String)

    init(_ error: any Error) {
        guard let error = error as? TelegramError else {
            // Not from the Bot API client (a fake, a proxy library): assume it may pass.
            self = .transient(Redaction.redact(String(describing: error)))
            return
        }
        switch error {
        case .tooManyRequests(let retryAfter):
            self = .rateLimited(retryAfter)
        case .blocked, .chatNotFound:
            self = .recipientGone(error.description)
        case .server, .timeout, .network, .invalidResponse:
            // An answer we cannot read may still be a send that went through; at-least-once
            // delivery prefers the retry (the ledger stops repeats of recorded sends).
            self = .transient(error.description)
        case .unauthorized:
            // A revoked or mistyped token is an operator problem, not the message's: keep the
            // job alive through backoff so it goes out once the token is fixed.
            self = .transient(error.description)
        case .chatMigrated, .badRequest, .conflict:
            self = .permanent(error.description)
        }
    }

    /// The input of the retry strategy; nil for recipients that are gone (handled apart).
    var failureKind: FailureKind? {
        switch self {
        case .rateLimited(let retryAfter): .rateLimited(retryAfter: retryAfter)
        case .transient: .transient
        case .permanent: .permanent
        case .recipientGone: nil
        }
    }

    var reason: String {
        switch self {
        case .rateLimited(let retryAfter): "rate limited, retry after \(retryAfter)"
        case .recipientGone(let reason), .transient(let reason), .permanent(let reason): reason
        }
    }
}
