/// Remembers Telegram `update_id`s so an update delivered twice (webhook retry, two instances)
/// is applied once.
public protocol UpdateDeduplicator: Sendable {
    /// Records the id; returns true the first time, false when it was seen within `ttl`.
    func firstSeen(updateID: Int64, ttl: Duration) async throws -> Bool
}
