import Foundation

/// The numbers of a replay, written as `summary.json` with fixed keys in a fixed order.
public struct ReplaySummary: Sendable, Hashable {
    public var now: Date
    public var slot: String
    public var pipeline: String
    /// Active users holding the batch's slot.
    public var usersDue: Int
    /// Users who got at least one message.
    public var digests: Int
    public var messages: Int
    /// Distinct normalised topics of the due users.
    public var distinctTopics: Int
    /// Distinct (topic, language) pairs: what the fetch stage fetches once each.
    public var distinctTopicLanguages: Int
    /// Calls made to news sources (one per pair and source not cached).
    public var sourceCalls: Int
    /// Fetches answered from the shared news cache.
    public var cacheHits: Int
    /// Source calls that failed (reported per topic, other topics unaffected).
    public var sourceFailures: Int
    /// Due users without a message, by reason (`no_news`, …).
    public var skippedUsers: [String: Int]

    public init(now: Date, slot: String, pipeline: String, usersDue: Int, digests: Int, messages: Int, distinctTopics: Int,
                distinctTopicLanguages: Int, sourceCalls: Int, cacheHits: Int, sourceFailures: Int, skippedUsers: [String: Int]) {
        self.now = now
        self.slot = slot
        self.pipeline = pipeline
        self.usersDue = usersDue
        self.digests = digests
        self.messages = messages
        self.distinctTopics = distinctTopics
        self.distinctTopicLanguages = distinctTopicLanguages
        self.sourceCalls = sourceCalls
        self.cacheHits = cacheHits
        self.sourceFailures = sourceFailures
        self.skippedUsers = skippedUsers
    }

    /// Pretty-printed JSON, newline-terminated; skipped reasons sorted by name.
    public var json: String {
        let skipped = skippedUsers.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) }
        return JSONText.prettyObject([
            ("now", JSONText.string(now.formatted(.iso8601))),
            ("slot", JSONText.string(slot)),
            ("pipeline", JSONText.string(pipeline)),
            ("users_due", String(usersDue)),
            ("digests", String(digests)),
            ("messages", String(messages)),
            ("distinct_topics", String(distinctTopics)),
            ("distinct_topic_languages", String(distinctTopicLanguages)),
            ("source_calls", String(sourceCalls)),
            ("cache_hits", String(cacheHits)),
            ("source_failures", String(sourceFailures)),
            ("skipped_users", JSONText.prettyObject(skipped, indent: 1)),
        ]) + "\n"
    }
}
