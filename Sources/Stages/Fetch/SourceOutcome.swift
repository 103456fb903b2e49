public import Foundation
public import Core

/// How the last call of one source for one (topic, language) went, for `newsbot sources status`.
public struct SourceOutcome: Sendable, Hashable, Codable {
    public var source: String
    public var topic: String
    public var language: Language
    public var fetchedAt: Date
    /// Redacted error text; nil when the call succeeded.
    public var error: String?
    /// Articles the source returned (before keyword filters and ranking).
    public var items: Int
    /// Whether the source was called as the fallback for a GNews quota error.
    public var fallback: Bool

    public init(source: String, topic: String, language: Language, fetchedAt: Date, error: String?, items: Int, fallback: Bool) {
        self.source = source
        self.topic = topic
        self.language = language
        self.fetchedAt = fetchedAt
        self.error = error
        self.items = items
        self.fallback = fallback
    }

    public var ok: Bool { error == nil }
}
