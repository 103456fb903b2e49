import Metrics

/// The chat front's metrics, with fixed dotted names (`newsbot.chat.*`).
enum ChatMetrics {
    /// Updates by outcome: applied, duplicate, outdated, ignored. Made once each: making a
    /// counter registers it with the metrics backend, too dear for every update.
    static func updates(_ outcome: UpdateOutcome) -> Counter {
        switch outcome {
        case .applied: appliedUpdates
        case .duplicate: duplicateUpdates
        case .outdated: outdatedUpdates
        case .ignored: ignoredUpdates
        }
    }

    private static let appliedUpdates = updatesCounter(.applied)
    private static let duplicateUpdates = updatesCounter(.duplicate)
    private static let outdatedUpdates = updatesCounter(.outdated)
    private static let ignoredUpdates = updatesCounter(.ignored)

    private static func updatesCounter(_ outcome: UpdateOutcome) -> Counter {
        Counter(label: "newsbot.chat.updates", dimensions: [("outcome", outcome.rawValue)])
    }

    static let replies = Counter(label: "newsbot.chat.replies")
    static let replyFailures = Counter(label: "newsbot.chat.reply_failures")
    /// Webhook requests refused by status (401, 400, 413, 503).
    static func webhookRejected(_ status: Int) -> Counter {
        Counter(label: "newsbot.chat.webhook_rejected", dimensions: [("status", String(status))])
    }
    /// Digest requests put on the trigger queue by `/digest`.
    static let digestRequests = Counter(label: "newsbot.chat.digest_requests")
    static let leaseWaits = Counter(label: "newsbot.chat.lease_waits")
    /// Updates that took their subscriber from `SubscriberCache` instead of the store.
    static let subscriberCacheHits = Counter(label: "newsbot.chat.subscriber_cache_hits")
    static let apply = Metrics.Timer(label: "newsbot.chat.apply_duration")
}
