/// The cluster's routing bookkeeping, kept pure so it is tested without servers.
///
/// Read-your-writes per process: every write through the cluster bumps `writeGeneration`; before
/// a replica read the cluster learns the primary's WAL insert position once per batch of writes
/// (the watermark) and only uses a replica that has replayed past it.
///
/// A process starts as if it had just written (generation 1, no watermark yet): its first replica
/// read learns the primary's position then, so it also sees what other processes committed before
/// it started. `pipeline run` launched right after a bulk import read a replica still replaying
/// the import, found nobody due and finished "successfully" with nothing sent.
struct PostgresRoutingState: Sendable {
    private(set) var writeGeneration: UInt64 = 1
    private(set) var watermarkGeneration: UInt64 = 0
    /// Primary WAL position (bytes) covering every write of generation ≤ `watermarkGeneration`.
    private(set) var watermarkLSN: Int64 = 0
    private var nextReplica = 0
    var lag: PostgresLagEstimator

    init(lagRetention: Duration) {
        self.lag = PostgresLagEstimator(retention: lagRetention)
    }

    /// Called after every write (also a failed one: it may have committed before the error).
    mutating func noteWrite() { writeGeneration &+= 1 }

    /// The watermark when it covers every write so far; otherwise nil and the generation to
    /// fetch a new one for (the fetch must start after that generation's writes finished).
    func watermark() -> (lsn: Int64?, pendingGeneration: UInt64) {
        writeGeneration == watermarkGeneration ? (watermarkLSN, writeGeneration) : (nil, writeGeneration)
    }

    /// Stores a watermark fetched after the writes of `generation` had finished.
    mutating func setWatermark(_ lsn: Int64, generation: UInt64) {
        watermarkLSN = max(watermarkLSN, lsn)
        watermarkGeneration = max(watermarkGeneration, generation)
    }

    /// Indices `0..<count` starting at the next replica in turn (round-robin).
    mutating func rotation(count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let start = nextReplica % count
        nextReplica = (nextReplica + 1) % count
        return (0..<count).map { (start + $0) % count }
    }
}
