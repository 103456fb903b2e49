import Foundation

/// A short claim on one chat's conversation, written with compare-and-set before an update is
/// applied, so two processes (two webhook instances behind a load balancer) never apply updates
/// of the same chat at the same time. It expires on its own, so a process that died holding it
/// blocks the chat only for `until - now`.
struct ChatLease: Sendable, Hashable {
    /// Who holds it: the router instance and the update it applies.
    var owner: String
    var until: Date

    /// Stored as `owner@milliseconds`.
    init?(encoded: String) {
        guard let at = encoded.lastIndex(of: "@"), let millis = Int64(encoded[encoded.index(after: at)...]) else { return nil }
        owner = String(encoded[..<at])
        until = Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    init(owner: String, until: Date) {
        self.owner = owner
        self.until = until
    }

    var encoded: String {
        "\(owner)@\(Int64((until.timeIntervalSince1970 * 1000).rounded(.up)))"
    }

    func isLive(at now: Date) -> Bool { until > now }
}
