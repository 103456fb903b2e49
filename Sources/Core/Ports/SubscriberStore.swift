import Foundation

/// The durable record of subscribers, slot runs and the delivery ledger.
///
/// Embedded: SQLite. Scaled out: PostgreSQL (writes to the primary, reads from replicas).
/// Every method is safe to call from several processes at once; every write is idempotent
/// where the pipeline may repeat it after a crash.
public protocol SubscriberStore: Sendable {
    // MARK: subscribers

    /// Inserts or replaces subscribers (seeding, `/start`).
    func upsert(_ subscribers: [Subscriber]) async throws
    func subscriber(id: Int64) async throws -> Subscriber?
    /// Applies `change` to the stored subscriber atomically; returns the new value, nil when unknown.
    func update(id: Int64, _ change: @Sendable (inout Subscriber) -> Void) async throws -> Subscriber?
    /// Active subscribers holding `slot`, by ascending id after `afterID`, at most `limit`.
    /// `timeZones` nil means every zone.
    func dueSubscribers(slot: Slot, timeZones: Set<String>?, afterID: Int64?, limit: Int) async throws -> [Subscriber]
    /// Distinct (time zone, slot) pairs of active subscribers; subscribers without a zone count as UTC.
    func scheduleEntries() async throws -> [ScheduleEntry]
    func subscriberCount() async throws -> Int

    // MARK: slot runs

    /// Creates the run if absent. Returns the stored run and whether this call created it.
    func createRun(_ key: SlotRunKey, at now: Date) async throws -> (run: SlotRun, created: Bool)
    /// The run with counts aggregated from its users and messages.
    func run(_ key: SlotRunKey) async throws -> SlotRun?
    /// Most recent runs first.
    func runs(limit: Int) async throws -> [SlotRun]
    func markRunCompleted(_ key: SlotRunKey, at now: Date) async throws
    /// Adds due users to a run; users already in it are left as they are. Returns how many were new.
    @discardableResult
    func addRunUsers(_ key: SlotRunKey, userIDs: [Int64]) async throws -> Int
    /// Users of the run still `pending`, by ascending id after `afterID`.
    func pendingRunUsers(_ key: SlotRunKey, afterID: Int64?, limit: Int) async throws -> [Int64]
    func setRunUserOutcome(_ key: SlotRunKey, userID: Int64, _ outcome: RunUserOutcome) async throws
    /// Sets the outcomes of many users of a run at once (a render chunk of hundreds): backends
    /// should do it in one transaction / round trip. The default calls `setRunUserOutcome` per user.
    func setRunUserOutcomes(_ key: SlotRunKey, _ outcomes: [Int64: RunUserOutcome]) async throws

    // MARK: digests and the delivery ledger

    /// Stores messages whose key is not stored yet and returns, for every user named in
    /// `messages`, the messages stored for that user's (slot, date): existing ones win, so a
    /// re-render after a crash cannot change what is sent.
    func saveDigestMessages(_ messages: [DigestMessage]) async throws -> [DigestMessage]
    func digestMessage(_ key: DeliveryKey) async throws -> DigestMessage?
    /// Messages of a run not yet delivered or failed (to re-enqueue when a run resumes), by
    /// (user id, part) after `afterUserID`. A page never splits a user's parts: it may exceed
    /// `limit` by the rest of its last user's parts, so paging by the last user id loses none.
    func undeliveredMessages(_ run: SlotRunKey, afterUserID: Int64?, limit: Int) async throws -> [DigestMessage]
    /// Records a delivery. Returns false when the key was already recorded (a duplicate).
    func markDelivered(_ key: DeliveryKey, at now: Date) async throws -> Bool
    /// Records that a message will not be delivered (dead letter, blocked user).
    func markFailed(_ key: DeliveryKey, reason: String, at now: Date) async throws
    /// URLs each user received in delivered digest messages since `since`.
    func deliveredURLs(userIDs: [Int64], since: Date) async throws -> [Int64: Set<String>]
}

extension SubscriberStore {
    public func upsert(_ subscriber: Subscriber) async throws { try await upsert([subscriber]) }

    public func setRunUserOutcomes(_ key: SlotRunKey, _ outcomes: [Int64: RunUserOutcome]) async throws {
        for (userID, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
            try await setRunUserOutcome(key, userID: userID, outcome)
        }
    }
}
