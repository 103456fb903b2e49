public import Core

/// Every prepared topic of a slot run, looked up by (topic, language) while rendering users.
public struct RenderedNews: Sendable {
    private var topics: [Language: [Topic: RenderedTopic]] = [:]

    public init(_ topics: [RenderedTopic] = []) {
        for topic in topics { insert(topic) }
    }

    public mutating func insert(_ topic: RenderedTopic) {
        topics[topic.language, default: [:]][topic.topic] = topic
    }

    public subscript(topic: Topic, language: Language) -> RenderedTopic? {
        topics[language]?[topic]
    }

    public var count: Int { topics.values.reduce(0) { $0 + $1.count } }
}
