import Metrics

/// The `newsbot.delivery.*` counters, created once per worker so the hot path only
/// increments them.
struct DeliveryMetrics: Sendable {
    let sent = Counter(label: "newsbot.delivery.sent")
    let duplicates = Counter(label: "newsbot.delivery.duplicates")
    let retried = Counter(label: "newsbot.delivery.retried")
    let rateLimited = Counter(label: "newsbot.delivery.rate_limited")
    let failed = Counter(label: "newsbot.delivery.failed")
    let blocked = Counter(label: "newsbot.delivery.blocked")
    let released = Counter(label: "newsbot.delivery.released")
}
