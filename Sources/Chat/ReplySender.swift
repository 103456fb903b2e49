import Core
import Foundation
import Logging
import Metrics
import Telegram

/// Sends replies through the Telegram client: one `sendMessage` per reply, after the chat's
/// token and an `.interactive` bot-wide token from the shared rate limiter, counted in the bot-wide
/// arrival window (where digest sends yield to it), retried briefly on 429 (after
/// `retry_after`), 5xx, timeouts and network errors. A person is waiting, so retries are few and
/// short; a reply that cannot go out is logged and the update still counts as applied.
struct ReplySender: Sendable {
    let telegram: any TelegramAPI
    let limiter: any RateLimiter
    let limits: ReplyLimits
    let attempts: Int
    let maxRetryAfter: Duration
    let logger: Logger
    private let clock = SystemClock()

    init(telegram: any TelegramAPI, limiter: any RateLimiter, configuration: UpdateRouter.Configuration, logger: Logger) {
        self.telegram = telegram
        self.limiter = limiter
        self.limits = configuration.replyLimits
        self.attempts = configuration.replyAttempts
        self.maxRetryAfter = configuration.maxReplyRetryAfter
        self.logger = logger
    }

    /// - Parameters:
    ///   - buckets: `limits.buckets(forChat: chatID)` when the caller has made them already.
    ///   - chatTokenTaken: the chat's token for the first attempt was taken already (by the
    ///     conversation-state claim); a retry takes its own.
    func send(_ reply: Reply, to chatID: Int64, buckets: (bot: [RateBucket], chat: [RateBucket])? = nil,
              chatTokenTaken: Bool = false) async throws -> ReplyOutcome {
        let request = reply.request(chatID: chatID)
        let buckets = buckets ?? limits.buckets(forChat: chatID)
        var attempt = 0
        while true {
            attempt += 1
            if !buckets.chat.isEmpty && !(chatTokenTaken && attempt == 1) {
                try await limiter.waitForToken(buckets.chat, priority: .bulk, clock: clock)
            }
            if !buckets.bot.isEmpty {
                try await limiter.waitForToken(buckets.bot, priority: .interactive, clock: clock)
            }
            let window = limits.globalWindow
            let ticket = window == nil ? "" : UUID().uuidString
            if let window { _ = try await limiter.enter(window, ticket: ticket, priority: .interactive) }
            var sendError: (any Error)?
            do {
                try await telegram.sendMessageDiscardingResult(request)
            } catch {
                sendError = error
            }
            if let window { try? await limiter.leave(window, ticket: ticket) }
            guard let sendError else {
                ChatMetrics.replies.increment()
                return .sent
            }
            guard let error = sendError as? TelegramError else { throw sendError }
            if error.isRecipientGone { return .recipientGone }
            if let retryAfter = error.retryAfter {
                guard attempt < attempts, retryAfter <= maxRetryAfter else { return failed(error, chatID) }
                try? await limiter.pause("chat:\(chatID)", for: retryAfter)
                try await clock.sleep(for: retryAfter)
                continue
            }
            guard error.isRetriable, attempt < attempts else { return failed(error, chatID) }
            try await clock.sleep(for: backoff(attempt))
        }
    }

    /// Answers a button press; failures (a query already answered or too old) are only logged:
    /// the spinner times out by itself and nothing else depends on it.
    func answer(callbackQueryID: String, text: String?) async {
        let request = AnswerCallbackQueryRequest(callbackQueryID: callbackQueryID, text: text)
        for attempt in 1...2 {
            do {
                try await telegram.answerCallbackQuery(request)
                return
            } catch let error as TelegramError where error.isRetriable && attempt == 1 {
                try? await clock.sleep(for: error.retryAfter.map { min($0, maxRetryAfter) } ?? .milliseconds(100))
            } catch {
                logger.debug("chat: callback answer failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private func failed(_ error: TelegramError, _ chatID: Int64) -> ReplyOutcome {
        ChatMetrics.replyFailures.increment()
        logger.warning("chat: reply not sent", metadata: ["telegram.chat_id": "\(chatID)", "error": "\(error)"])
        return .failed
    }

    /// 100 ms, 200 ms, 400 ms… with full jitter, capped at 2 s.
    private func backoff(_ attempt: Int) -> Duration {
        let ceiling = min(0.1 * Double(1 << min(attempt - 1, 5)), 2)
        return .seconds(Double.random(in: ceiling / 2...ceiling))
    }
}
