import PostgresNIO
import Synchronization

/// One read replica: its client (own pool) and what the cluster last learned about it.
final class PostgresReplica: Sendable {
    let endpoint: PostgresEndpoint
    let client: PostgresClient
    private let current: Mutex<PostgresReplicaStatus>

    init(endpoint: PostgresEndpoint, client: PostgresClient) {
        self.endpoint = endpoint
        self.client = client
        self.current = Mutex(PostgresReplicaStatus(endpoint: endpoint.description))
    }

    var status: PostgresReplicaStatus { current.withLock { $0 } }

    /// Applies `change` and returns the health before and after, so callers log transitions only.
    @discardableResult
    func update(_ change: (inout PostgresReplicaStatus) -> Void) -> (before: PostgresReplicaHealth, after: PostgresReplicaHealth) {
        current.withLock { status in
            let before = status.health
            change(&status)
            return (before, status.health)
        }
    }

    /// True when the replica may serve reads: healthy at a recent check.
    func isEligible(now: ContinuousClock.Instant, staleAfter: Duration) -> Bool {
        current.withLock { status in
            guard status.health == .healthy, let checkedAt = status.checkedAt else { return false }
            return now - checkedAt <= staleAfter
        }
    }
}
