/// Behaviour some implementations of a port have and others cannot: tests that need it run only
/// against factories declaring it.
enum ContractCapability: Sendable, Hashable {
    /// Job queue: a received job neither acked nor retried is handed out again once its
    /// visibility timeout passes (SQLite, memory). Brokers return it when the consumer goes away
    /// instead.
    case leaseExpiry
}
