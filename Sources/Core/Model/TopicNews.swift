import Foundation

/// The ranked news of one (topic, language), as fetched and ranked once per cache period and
/// shared by every subscriber of that topic.
public struct TopicNews: Sendable, Hashable, Codable {
    public var topic: Topic
    public var language: Language
    public var items: [DigestItem]
    public var fetchedAt: Date
    /// Per-source failures (already redacted), e.g. "gnews: daily quota exhausted".
    public var failures: [String]

    public init(topic: Topic, language: Language, items: [DigestItem], fetchedAt: Date, failures: [String] = []) {
        self.topic = topic
        self.language = language
        self.items = items
        self.fetchedAt = fetchedAt
        self.failures = failures
    }
}
