import Core
import Foundation
import Logging
import Telegram

/// One job, from payload to settled: ledger check, rate-limit tokens, `sendMessage`, and the
/// ack / retry / dead-letter that its outcome calls for.
extension DeliveryWorker {
    /// The job's payload, or nil after dead-lettering a payload no version of newsbot wrote.
    func decode(_ job: ReceivedJob) async -> DeliveryJob? {
        do {
            return try DeliveryJob(jsonPayload: job.payload)
        } catch {
            logger.error("delivery: undecodable job, dead-lettered", metadata: ["newsbot.job_id": "\(job.id)"])
            try? await queue.deadLetter(job, reason: "undecodable delivery job")
            count(\.failed, metrics.failed)
            return nil
        }
    }

    /// Delivers one job and settles it with the queue.
    /// `lastAnswer`: when the chat's previous send in this lane was answered; updated.
    func deliver(_ job: ReceivedJob, _ message: DeliveryJob, lanes: DeliveryLanes, lastAnswer: inout Date?) async {
        // One owner name per attempt: a lock taken again by its own owner counts as renewed.
        let claim = message.kind == .digest
            ? claims.map { (cache: $0, key: "deliver:\(message.key)", owner: "\(claimOwner):\(UUID().uuidString)") } : nil
        if let claim {
            // A queue may hand two processes copies of one job (at-least-once): only the holder
            // of the claim checks the ledger and sends. The other copy comes back later, when the
            // ledger has settled it, or, if the holder died, its claim has run out.
            do {
                guard try await claim.cache.lock(claim.key, owner: claim.owner, ttl: configuration.claimTTL) else {
                    count(\.duplicates, metrics.duplicates)
                    await requeue(job, message, after: configuration.claimRetryDelay, countsAsAttempt: false)
                    return
                }
            } catch {
                await retryLater(job, message, error)
                return
            }
        }
        await deliverClaimed(job, message, lanes: lanes, lastAnswer: &lastAnswer)
        if let claim { try? await claim.cache.unlock(claim.key, owner: claim.owner) }
    }

    /// `deliver` once this worker may send the message: ledger check, tokens, send, settle.
    private func deliverClaimed(_ job: ReceivedJob, _ message: DeliveryJob, lanes: DeliveryLanes, lastAnswer: inout Date?) async {
        do {
            if message.kind == .digest, try await store.digestMessage(message.key)?.deliveredAt != nil {
                // A redelivery of a message already sent: the ledger wins.
                try await queue.ack(job)
                count(\.duplicates, metrics.duplicates)
                return
            }
            var chatID = message.chatID
            var migrated = false
            while true {
                guard try await takeToken(chatID: chatID, kind: message.kind, lanes: lanes) else {
                    await release(job)
                    return
                }
                if let lastAnswer, let spacing = limits.spacing(forChat: chatID) {
                    let wait = spacing.timeInterval - clock.now().timeIntervalSince(lastAnswer)
                    if wait > 0 { try await clock.sleep(for: .seconds(wait)) }
                }
                guard let ticket = try await enterWindow(kind: message.kind, lanes: lanes) else {
                    await release(job)
                    return
                }
                var failure: (any Error)?
                do {
                    try await telegram.sendMessageDiscardingResult(.html(chatID: chatID, text: message.text))
                } catch {
                    failure = error
                }
                lastAnswer = clock.now()
                if !ticket.isEmpty { await leaveWindow(ticket) }
                if let failure {
                    if failure is CancellationError { throw failure }
                    if case TelegramError.chatMigrated(let newChatID) = failure, !migrated {
                        // The group became a supergroup: remember its new id and send there once.
                        migrated = true
                        chatID = newChatID
                        _ = try await store.update(id: message.key.userID) { $0.chatID = newChatID }
                        continue
                    }
                    await settleFailed(job, message, SendFailure(failure))
                    return
                }
                break
            }
            await settleSent(job, message)
        } catch {
            // Only our own ports get here (the send's failures are settled above): the store,
            // the limiter or the queue failed, or the run is being cancelled.
            if error is CancellationError || Task.isCancelled {
                await release(job)
            } else {
                await retryLater(job, message, error)
            }
        }
    }

    /// Waits for a token from every bucket of the chat. Returns false when the run is
    /// stopping and the job should go back unsent.
    private func takeToken(chatID: Int64, kind: DeliveryJob.Kind, lanes: DeliveryLanes) async throws -> Bool {
        let buckets = limits.buckets(forChat: chatID)
        guard !buckets.isEmpty else { return true }
        let priority: RatePriority = kind == .reply ? .interactive : .bulk
        while true {
            let wait = try await limiter.acquire(buckets, priority: priority)
            if wait <= .zero { return true }
            if lanes.isStopping { return false }
            try await clock.sleep(for: min(wait, configuration.tokenWaitSlice))
        }
    }

    /// Waits for a place in the bot-wide arrival window. Returns the ticket to leave it with
    /// ("" when the window is off), or nil when the run is stopping.
    private func enterWindow(kind: DeliveryJob.Kind, lanes: DeliveryLanes) async throws -> String? {
        guard let window = limits.globalWindow else { return "" }
        let ticket = UUID().uuidString
        let priority: RatePriority = kind == .reply ? .interactive : .bulk
        while true {
            let wait = try await limiter.enter(window, ticket: ticket, priority: priority)
            if wait <= .zero { return ticket }
            if lanes.isStopping { return nil }
            try await clock.sleep(for: min(wait, configuration.tokenWaitSlice))
        }
    }

    /// The send was answered: its place ages out one span from now. If the limiter cannot be
    /// told, the place stays taken until its in-flight expiry (slower, never over the limit).
    private func leaveWindow(_ ticket: String) async {
        guard let window = limits.globalWindow else { return }
        do {
            try await limiter.leave(window, ticket: ticket)
        } catch {
            logger.warning("delivery: cannot close the send in the arrival window",
                           metadata: ["error": "\(Redaction.redact(String(describing: error)))"])
        }
    }

    private func settleSent(_ job: ReceivedJob, _ message: DeliveryJob) async {
        count(\.sent, metrics.sent)
        if message.kind == .digest {
            // Ledger first: if the ack is lost the job comes back and is skipped as a duplicate.
            do {
                _ = try await store.markDelivered(message.key, at: clock.now())
            } catch {
                // Sent is sent: ack anyway rather than risk a second copy from a redelivery.
                logger.error("delivery: sent but not recorded in the ledger",
                             metadata: metadata(job, message, ["error": "\(Redaction.redact(String(describing: error)))"]))
            }
        }
        await ack(job, message)
    }

    private func settleFailed(_ job: ReceivedJob, _ message: DeliveryJob, _ failure: SendFailure) async {
        guard let kind = failure.failureKind else {
            await settleRecipientGone(job, message, failure)
            return
        }
        let attempt = job.attempt + 1
        switch configuration.policy.retry.decision(afterAttempt: attempt, failure: kind, unit: random()) {
        case .sleep(let retryAfter):
            count(\.rateLimited, metrics.rateLimited)
            logger.warning("delivery: 429 from Telegram, pausing", metadata: metadata(job, message, [
                "newsbot.delivery.retry_after": "\(retryAfter)",
            ]))
            do {
                try await limiter.pause(DeliveryLimits.globalKey, for: retryAfter)
            } catch {
                logger.error("delivery: cannot pause the rate limiter",
                             metadata: ["error": "\(Redaction.redact(String(describing: error)))"])
            }
            await requeue(job, message, after: retryAfter, countsAsAttempt: false)
        case .retry(let delay):
            count(\.retried, metrics.retried)
            logger.notice("delivery: send failed, retrying", metadata: metadata(job, message, [
                "newsbot.delivery.reason": "\(failure.reason)", "newsbot.delivery.backoff": "\(delay)",
            ]))
            await requeue(job, message, after: delay, countsAsAttempt: true)
        case .giveUp:
            count(\.failed, metrics.failed)
            logger.error("delivery: giving up, dead-lettered", metadata: metadata(job, message, [
                "newsbot.delivery.reason": "\(failure.reason)",
            ]))
            await recordFailure(message, reason: failure.reason)
            do {
                try await queue.deadLetter(job, reason: failure.reason)
            } catch {
                logger.error("delivery: dead-letter failed", metadata: metadata(job, message, [
                    "error": "\(Redaction.redact(String(describing: error)))",
                ]))
            }
        }
    }

    /// 403 / chat not found: the person cannot be reached; mark them and stop trying.
    private func settleRecipientGone(_ job: ReceivedJob, _ message: DeliveryJob, _ failure: SendFailure) async {
        count(\.blocked, metrics.blocked)
        logger.notice("delivery: recipient unreachable, marking blocked", metadata: metadata(job, message, [
            "newsbot.delivery.reason": "\(failure.reason)",
        ]))
        do {
            _ = try await store.update(id: message.key.userID) { $0.status = .blocked }
        } catch {
            logger.error("delivery: cannot mark the user blocked", metadata: metadata(job, message, [
                "error": "\(Redaction.redact(String(describing: error)))",
            ]))
        }
        await recordFailure(message, reason: "blocked")
        await ack(job, message)
    }

    /// A store or limiter failure before the message went out: not the message's fault, so
    /// try again later without using an attempt.
    private func retryLater(_ job: ReceivedJob, _ message: DeliveryJob, _ error: any Error) async {
        let delay = configuration.policy.retry.backoff(afterAttempt: 1, unit: random())
        logger.error("delivery: backend error, job put back", metadata: metadata(job, message, [
            "error": "\(Redaction.redact(String(describing: error)))",
        ]))
        await requeue(job, message, after: delay, countsAsAttempt: false)
    }

    private func recordFailure(_ message: DeliveryJob, reason: String) async {
        guard message.kind == .digest else { return }
        do {
            try await store.markFailed(message.key, reason: reason, at: clock.now())
        } catch {
            logger.error("delivery: cannot record the failure in the ledger", metadata: [
                "newsbot.delivery.key": "\(message.key)",
                "error": "\(Redaction.redact(String(describing: error)))",
            ])
        }
    }

    private func ack(_ job: ReceivedJob, _ message: DeliveryJob) async {
        do {
            try await queue.ack(job)
        } catch {
            // The job comes back after its lease; the ledger (digests) stops a second send.
            logger.error("delivery: ack failed", metadata: metadata(job, message, [
                "error": "\(Redaction.redact(String(describing: error)))",
            ]))
        }
    }

    private func requeue(_ job: ReceivedJob, _ message: DeliveryJob, after delay: Duration, countsAsAttempt: Bool) async {
        do {
            try await queue.retry(job, after: delay, countsAsAttempt: countsAsAttempt)
        } catch {
            logger.error("delivery: retry failed; the job returns after its lease", metadata: metadata(job, message, [
                "error": "\(Redaction.redact(String(describing: error)))",
            ]))
        }
    }

    /// Hands an unsent job straight back (shutdown), without using an attempt.
    func release(_ job: ReceivedJob) async {
        count(\.released, metrics.released)
        try? await queue.retry(job, after: .zero, countsAsAttempt: false)
    }

    private func metadata(_ job: ReceivedJob, _ message: DeliveryJob, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "newsbot.chat_id": "\(message.chatID)",
            "newsbot.delivery.key": "\(message.key)",
            "newsbot.delivery.attempt": "\(job.attempt + 1)",
        ]
        metadata.merge(extra) { _, new in new }
        return metadata
    }
}
