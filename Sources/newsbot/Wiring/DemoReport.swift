import Core
import Delivery
import Foundation
import Pipeline
import Stages
import TelegramSim

/// What `newsbot demo` prints, and whether the run kept its promises: every due user with news
/// got each of their messages exactly once, each (topic, language) was fetched once, no message
/// failed, and the sender never went over the simulator's limit (no 429 received).
struct DemoReport {
    let text: String
    let passed: Bool

    static func collect(keys: [SlotRunKey], due: [Subscriber], store: any SubscriberStore, simulator: TelegramSimulator,
                        fetch: FetchStatistics, delivery: DeliveryCounters, elapsed: TimeInterval) async throws -> DemoReport {
        var counts = SlotRunCounts()
        for key in keys {
            guard let run = try await store.run(key) else { continue }
            counts.usersDue += run.counts.usersDue
            counts.usersWithDigest += run.counts.usersWithDigest
            counts.messages += run.counts.messages
            counts.messagesDelivered += run.counts.messagesDelivered
            counts.messagesFailed += run.counts.messagesFailed
            counts.usersSkipped.merge(run.counts.usersSkipped, uniquingKeysWith: +)
        }

        // Exactly once: what the simulator accepted per chat equals what the ledger holds per user.
        let received = Dictionary(grouping: simulator.messages(), by: \.chatID).mapValues(\.count)
        var duplicated = 0, missing = 0
        for user in due {
            var expected = 0
            for key in keys {
                if let first = try await store.digestMessage(DeliveryKey(userID: user.id, slot: key.slot, date: key.date, part: 1)) {
                    expected += first.parts
                }
            }
            let got = received[user.chatID] ?? 0
            if got > expected { duplicated += 1 }
            if got < expected { missing += 1 }
        }

        let pairs = Set(due.flatMap(TopicLanguage.pairs(of:)))
        let gnewsCalls = fetch.callsBySource["gnews"] ?? 0
        let stats = simulator.stats(includeChats: false)
        let skipped = counts.usersSkipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let bySource = fetch.callsBySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let rate = elapsed > 0 ? Double(stats.accepted) / elapsed : 0

        var checks: [(String, Bool)] = []
        checks.append(("every due user with news received each message exactly once (\(counts.usersWithDigest) users)",
                       duplicated == 0 && missing == 0 && counts.messagesDelivered == counts.messages))
        checks.append(("each (topic, language) fetched once: \(gnewsCalls) GNews calls for \(pairs.count) pairs",
                       gnewsCalls == pairs.count))
        checks.append(("no failed message", counts.messagesFailed == 0))
        checks.append(("no 429 received; busiest second \(stats.maxGlobalPerSecond) msg/s (limit \(simulator.rateLimits.globalPerSecond))",
                       stats.tooManyRequests == 0 && delivery.rateLimited == 0))

        var lines = [
            "users due:        \(counts.usersDue) (\(counts.usersWithDigest) with a digest\(skipped.isEmpty ? "" : ", skipped: \(skipped)"))",
            "messages:         \(counts.messages) rendered, \(counts.messagesDelivered) delivered, \(counts.messagesFailed) failed",
            "news fetches:     \(pairs.count) (topic, language) pairs; source calls \(fetch.sourceCalls) (\(bySource)), cache hits \(fetch.cacheHits)",
            "telegram sim:     \(stats.accepted) accepted, \(stats.tooManyRequests) answered 429, busiest second \(stats.maxGlobalPerSecond) msg/s",
            String(format: "time:             %.1f s (%.1f msg/s)", elapsed, rate),
        ]
        for (name, ok) in checks { lines.append((ok ? "ok    " : "FAIL  ") + name) }
        return DemoReport(text: lines.joined(separator: "\n"), passed: checks.allSatisfy(\.1))
    }
}
