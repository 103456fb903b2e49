/// Depth of one queue.
public struct QueueStats: Sendable, Hashable, Codable {
    /// Visible now.
    public var ready: Int
    /// Taken by a worker and not acked yet.
    public var inFlight: Int
    /// Waiting for a retry delay.
    public var delayed: Int
    public var deadLettered: Int

    public init(ready: Int = 0, inFlight: Int = 0, delayed: Int = 0, deadLettered: Int = 0) {
        self.ready = ready
        self.inFlight = inFlight
        self.delayed = delayed
        self.deadLettered = deadLettered
    }
}
