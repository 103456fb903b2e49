import Foundation
import Core

/// A small JSON record kept in the `NewsCache` and changed read-modify-write under the cache's
/// own lock, so processes sharing one cache (the SQLite file, Redis) do not lose each other's
/// updates. Used for bookkeeping only (GNews usage, source outcomes): if the lock stays taken
/// for `lockPatience` (2 s) the change is made anyway — a rare lost update beats a stalled fetch.
struct SharedRecord<Value: Codable & Sendable>: Sendable {
    let cache: any NewsCache
    let key: String
    /// How long the record lives after its last change.
    let ttl: Duration
    let owner: String
    var lockPatience: Duration = .seconds(2)

    func read() async throws -> Value? {
        guard let data = try await cache.value(forKey: key) else { return nil }
        return try? JSONDecoder().decode(Value.self, from: data)
    }

    /// Applies `change` to the stored value (nil when absent or unreadable) and stores the
    /// result unless it is nil; returns what `change` returned.
    func update<Result: Sendable>(_ change: (inout Value?) -> Result) async throws -> Result {
        let lockKey = key + ":lock"
        // One owner name per change: a lock taken again by its own owner counts as renewed, so
        // two changes of one process under the same name would both go ahead.
        let owner = self.owner + ":" + UUID().uuidString
        var locked = false
        var pause = Duration.milliseconds(2)
        let deadline = ContinuousClock.now + lockPatience
        while !locked {
            locked = try await cache.lock(lockKey, owner: owner, ttl: .seconds(5))
            if locked || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
        let outcome: Swift.Result<Result, any Error>
        do {
            var value = try await read()
            let result = change(&value)
            if let value {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                try await cache.store(try encoder.encode(value), forKey: key, ttl: ttl)
            }
            outcome = .success(result)
        } catch {
            outcome = .failure(error)
        }
        if locked { try? await cache.unlock(lockKey, owner: owner) }
        return try outcome.get()
    }
}
