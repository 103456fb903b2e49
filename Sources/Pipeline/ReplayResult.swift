import Core

/// What a replay produced: the batch as loaded, the summary, the delivered messages (by user,
/// then part) and the output files.
public struct ReplayResult: Sendable {
    public var batch: ReplayBatch
    public var summary: ReplaySummary
    public var messages: [DigestMessage]
    public var output: ReplayOutput
}
