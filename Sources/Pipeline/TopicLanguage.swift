import Core

/// A (topic, language) pair: the unit the fetch stage fetches once per cache period.
public struct TopicLanguage: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: Topic
    public var language: Language

    public init(topic: Topic, language: Language) {
        self.topic = topic
        self.language = language
    }

    /// Every pair a subscriber needs.
    public static func pairs(of subscriber: Subscriber) -> [TopicLanguage] {
        subscriber.topics.map { TopicLanguage(topic: $0, language: subscriber.language) }
    }

    public var description: String { "\(language.rawValue):\(topic.name)" }

    public static func < (lhs: TopicLanguage, rhs: TopicLanguage) -> Bool {
        (lhs.language, lhs.topic) < (rhs.language, rhs.topic)
    }
}
