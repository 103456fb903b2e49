public import Core

/// A topic's ranked news rendered in one language: what per-user assembly stitches together.
public struct RenderedTopic: Sendable, Hashable {
    public var topic: Topic
    public var language: Language
    /// `<b>Python</b>`.
    public var titleHTML: String
    public var titleLength: Int
    /// In rank order.
    public var items: [RenderedItem]

    public init(topic: Topic, language: Language, titleHTML: String, titleLength: Int, items: [RenderedItem]) {
        self.topic = topic
        self.language = language
        self.titleHTML = titleHTML
        self.titleLength = titleLength
        self.items = items
    }
}
