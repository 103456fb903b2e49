import Core
import Delivery
import Foundation
import Logging
import Telegram

/// Memory adapters, a worker and helpers to seed subscribers and enqueue digest messages the
/// way fan-out does: one job per stored message.
struct DeliveryHarness {
    static let run = SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)

    /// No rate limits and millisecond retries: fake-Telegram tests exercise branching, not time.
    static let fastPolicy = DeliveryPolicy(
        globalRate: 0, perChatRate: 0, perGroupPerMinute: 0, concurrency: 8,
        retry: RetryStrategy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40)))

    let queue: RecordingJobQueue
    let store: any SubscriberStore
    let limiter: RecordingRateLimiter
    let worker: DeliveryWorker

    init(telegram: any TelegramAPI, policy: DeliveryPolicy = DeliveryHarness.fastPolicy,
         queue: any JobQueue = MemoryJobQueue(), store: any SubscriberStore = MemorySubscriberStore(), limiter: any RateLimiter = MemoryRateLimiter(),
         claims: (any NewsCache)? = nil,
         gracePeriod: Duration = .seconds(5), conditionInterval: Duration = .milliseconds(10), random: @escaping @Sendable () -> Double = { 1 }) {
        self.queue = RecordingJobQueue(queue)
        self.store = store
        self.limiter = RecordingRateLimiter(limiter)
        var logger = Logger(label: "newsbot.delivery.test")
        logger.logLevel = .critical
        var configuration = DeliveryWorker.Configuration(
            policy: policy, receiveWait: .milliseconds(20), shutdownGracePeriod: gracePeriod,
            conditionInterval: conditionInterval)
        configuration.claimRetryDelay = .milliseconds(50)
        self.worker = DeliveryWorker(configuration: configuration, queue: self.queue, store: store,
                                     limiter: self.limiter, telegram: telegram, claims: claims, logger: logger, random: random)
    }

    static func key(user: Int64, part: Int = 1) -> DeliveryKey {
        DeliveryKey(userID: user, slot: run.slot, date: run.date, part: part)
    }

    static func text(user: Int64, part: Int) -> String {
        "<b>Digest</b> for \(user), part \(part) &amp; more"
    }

    /// Stores a subscriber and `parts` digest messages per user (chat id = user id unless
    /// given), and pushes one delivery job per message in user and part order.
    @discardableResult
    func enqueueDigests(users: [Int64], parts: Int = 1, chatIDs: [Int64: Int64] = [:]) async throws -> [DigestMessage] {
        var messages: [DigestMessage] = []
        for user in users {
            let chatID = chatIDs[user] ?? user
            try await store.upsert(Subscriber(id: user, chatID: chatID, slots: [Self.run.slot]))
            for part in 1...parts {
                messages.append(DigestMessage(key: Self.key(user: user, part: part), run: Self.run, chatID: chatID,
                                              parts: parts, text: Self.text(user: user, part: part), urls: []))
            }
        }
        let stored = try await store.saveDigestMessages(messages)
        try await push(stored.map(DeliveryJob.init(message:)))
        return stored
    }

    func push(_ jobs: [DeliveryJob]) async throws {
        let encoder = JSONEncoder()
        try await queue.push(try jobs.map { try encoder.encode($0) }, to: .deliver)
    }

    func stats() async throws -> QueueStats { try await queue.stats(.deliver) }

    func deadLetters() async throws -> [DeadLetter] { try await queue.deadLetters(.deliver, limit: 100) }
}
