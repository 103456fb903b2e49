/// What a `DeliveryWorker` did since it was created: for the demo summary, `pipeline run
/// --wait` and tests. The same numbers go to metrics as `newsbot.delivery.*`.
public struct DeliveryCounters: Sendable, Hashable, Codable {
    /// Messages Telegram accepted.
    public var sent = 0
    /// Jobs skipped because the ledger already records their key as delivered (a redelivery).
    public var duplicates = 0
    /// Transient failures (5xx, timeout, network) put back with backoff.
    public var retried = 0
    /// 429 answers received; each put its job back without using an attempt.
    public var rateLimited = 0
    /// Jobs given up on: dead-lettered after the last attempt or on a permanent 400.
    public var failed = 0
    /// Jobs whose recipient blocked the bot, is deactivated, or whose chat is gone.
    public var blocked = 0
    /// Jobs handed back to the queue unsent because the worker was shutting down.
    public var released = 0

    public init() {}

    /// Jobs settled for good (sent, skipped as duplicates, failed or blocked).
    public var settled: Int { sent + duplicates + failed + blocked }
}
