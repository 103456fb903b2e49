import Core

/// `.postgres(cluster)` reads like `.memory` at call sites.
extension SubscriberStore where Self == PostgresSubscriberStore {
    public static func postgres(_ cluster: PostgresCluster) -> PostgresSubscriberStore {
        PostgresSubscriberStore(cluster: cluster)
    }
}
