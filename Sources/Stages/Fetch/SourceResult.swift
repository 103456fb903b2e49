import Core

/// What one source call gave: articles, or the error that is reported for it.
struct SourceResult: Sendable {
    var definition: SourceDefinition
    var articles: [Article]
    var error: (any Error)?
    /// Called as the feed fallback for a GNews quota error.
    var fallback = false

    /// `name: description`, redacted, for `TopicNews.failures`.
    var failure: String? {
        error.map { Redaction.redact("\(definition.name): \(String(describing: $0))") }
    }

    /// GNews said the daily quota is spent or we are sending too fast: use feeds instead.
    var isQuotaError: Bool {
        switch error as? NewsSourceError {
        case .quotaExhausted, .rateLimited: true
        default: false
        }
    }
}
