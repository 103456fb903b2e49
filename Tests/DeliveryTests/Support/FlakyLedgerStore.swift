import Core
import Foundation
import Synchronization

/// A `SubscriberStore` whose ledger lookup fails the first `failures` times (a database
/// outage); everything else goes to a `MemorySubscriberStore`.
final class FlakyLedgerStore: SubscriberStore {
    struct Outage: Error {}

    let base = MemorySubscriberStore()
    private let remainingFailures: Mutex<Int>

    init(failures: Int) {
        remainingFailures = Mutex(failures)
    }

    func digestMessage(_ key: DeliveryKey) async throws -> DigestMessage? {
        let fail = remainingFailures.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw Outage() }
        return try await base.digestMessage(key)
    }

    func upsert(_ subscribers: [Subscriber]) async throws { try await base.upsert(subscribers) }
    func subscriber(id: Int64) async throws -> Subscriber? { try await base.subscriber(id: id) }
    func update(id: Int64, _ change: @Sendable (inout Subscriber) -> Void) async throws -> Subscriber? {
        try await base.update(id: id, change)
    }
    func dueSubscribers(slot: Slot, timeZones: Set<String>?, afterID: Int64?, limit: Int) async throws -> [Subscriber] {
        try await base.dueSubscribers(slot: slot, timeZones: timeZones, afterID: afterID, limit: limit)
    }
    func scheduleEntries() async throws -> [ScheduleEntry] { try await base.scheduleEntries() }
    func subscriberCount() async throws -> Int { try await base.subscriberCount() }
    func createRun(_ key: SlotRunKey, at now: Date) async throws -> (run: SlotRun, created: Bool) {
        try await base.createRun(key, at: now)
    }
    func run(_ key: SlotRunKey) async throws -> SlotRun? { try await base.run(key) }
    func runs(limit: Int) async throws -> [SlotRun] { try await base.runs(limit: limit) }
    func markRunCompleted(_ key: SlotRunKey, at now: Date) async throws { try await base.markRunCompleted(key, at: now) }
    func addRunUsers(_ key: SlotRunKey, userIDs: [Int64]) async throws -> Int {
        try await base.addRunUsers(key, userIDs: userIDs)
    }
    func pendingRunUsers(_ key: SlotRunKey, afterID: Int64?, limit: Int) async throws -> [Int64] {
        try await base.pendingRunUsers(key, afterID: afterID, limit: limit)
    }
    func setRunUserOutcome(_ key: SlotRunKey, userID: Int64, _ outcome: RunUserOutcome) async throws {
        try await base.setRunUserOutcome(key, userID: userID, outcome)
    }
    func saveDigestMessages(_ messages: [DigestMessage]) async throws -> [DigestMessage] {
        try await base.saveDigestMessages(messages)
    }
    func undeliveredMessages(_ run: SlotRunKey, afterUserID: Int64?, limit: Int) async throws -> [DigestMessage] {
        try await base.undeliveredMessages(run, afterUserID: afterUserID, limit: limit)
    }
    func markDelivered(_ key: DeliveryKey, at now: Date) async throws -> Bool { try await base.markDelivered(key, at: now) }
    func markFailed(_ key: DeliveryKey, reason: String, at now: Date) async throws {
        try await base.markFailed(key, reason: reason, at: now)
    }
    func deliveredURLs(userIDs: [Int64], since: Date) async throws -> [Int64: Set<String>] {
        try await base.deliveredURLs(userIDs: userIDs, since: since)
    }
}
