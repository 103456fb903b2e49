import Core
import Foundation
import Synchronization

/// Remembers which (pipeline, zone, slot, local date) the scheduler has fired, so each fires
/// once: in the shared `NewsCache` (a durable key-value store with TTLs — SQLite or Redis), so
/// a restarted or newly elected scheduler knows, and in memory so a tick does not read the store
/// for every entry every minute.
final class FiredSlotMarks: Sendable {
    enum State: Sendable {
        case fired
        /// Missed beyond the grace window and already logged.
        case expired
    }

    private let store: any NewsCache
    private let ttl: Duration
    private let known = Mutex<[String: (state: State, date: LocalDate)]>([:])
    private let lastTickSeen = Mutex<Date?>(nil)

    init(store: any NewsCache, ttl: Duration) {
        self.store = store
        self.ttl = ttl
    }

    static func key(pipeline: String, timeZone: String, slot: Slot, date: LocalDate) -> String {
        "newsbot.scheduler.fired/\(pipeline)/\(timeZone)/\(slot)/\(date)"
    }

    /// The remembered state, asking the shared store when this process does not know yet (a
    /// slot another scheduler fired is remembered here too once seen there).
    func state(_ key: String, date: LocalDate) async throws -> State? {
        if let local = known.withLock({ $0[key]?.state }) { return local }
        guard try await store.value(forKey: key) != nil else { return nil }
        known.withLock { $0[key] = (.fired, date) }
        return .fired
    }

    func markFired(_ key: String, date: LocalDate) async throws {
        try await store.store(Data("1".utf8), forKey: key, ttl: ttl)
        known.withLock { $0[key] = (.fired, date) }
    }

    /// Expired slots are only remembered here: another scheduler logging them again is fine.
    func markExpired(_ key: String, date: LocalDate) {
        known.withLock { $0[key] = (.expired, date) }
    }

    /// When a scheduler of `pipeline` last ticked as leader (any process): slots due after it and
    /// missed beyond the grace window were missed by downtime. Nil before the first tick ever.
    func lastTick(pipeline: String) async throws -> Date? {
        if let local = lastTickSeen.withLock({ $0 }) { return local }
        guard let data = try await store.value(forKey: "newsbot.scheduler.last_tick/\(pipeline)"),
              let seconds = Double(String(decoding: data, as: UTF8.self)) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    func setLastTick(_ date: Date, pipeline: String) async throws {
        try await store.store(Data(String(date.timeIntervalSince1970).utf8), forKey: "newsbot.scheduler.last_tick/\(pipeline)", ttl: ttl)
        lastTickSeen.withLock { $0 = date }
    }

    /// Forgets local entries for dates before `date`; the store's TTL does the same there.
    func prune(before date: LocalDate) {
        known.withLock { $0 = $0.filter { $0.value.date >= date } }
    }
}
