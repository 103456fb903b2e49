import Foundation

/// A short claim on one chat's conversation, taken before an update is applied, so two processes
/// (two webhook instances behind a load balancer) never apply updates of the same chat at the
/// same time. It expires on its own, so a process that died holding it blocks the chat only for
/// `until - now`. Kept in the state's `data` under `key`, as `owner@milliseconds`, so a store can
/// take it in the same atomic step that loads the state (`ConversationStateStore.claim`).
public struct ConversationLease: Sendable, Hashable {
    /// The `data` key the lease is stored under.
    public static let key = "lease"

    /// Who holds it: the router instance and the update it applies.
    public var owner: String
    public var until: Date

    /// Stored as `owner@milliseconds`.
    public init?(encoded: String) {
        guard let at = encoded.lastIndex(of: "@"), let millis = Int64(encoded[encoded.index(after: at)...]) else { return nil }
        owner = String(encoded[..<at])
        until = Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    public init(owner: String, until: Date) {
        self.owner = owner
        self.until = until
    }

    public var encoded: String {
        "\(owner)@\(Int64((until.timeIntervalSince1970 * 1000).rounded(.up)))"
    }

    public func isLive(at now: Date) -> Bool { until > now }
}
