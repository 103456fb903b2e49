/// The part of `fixtures/feeds/NAME.expected.json` that `sources check --json` shows: the error
/// kind, or the items (title, link, published) in feed order.
struct FeedExpectation: Decodable {
    struct Item: Decodable, Equatable {
        var title: String
        var link: String?
        var published: String?
    }

    /// A `FeedError.Kind` raw value when the input must be refused.
    var error: String?
    var items: [Item]?

    /// The words a person must find in the error printed for each kind of refusal.
    static let errorWording: [String: String] = [
        "empty": "empty input",
        "not_xml": "not XML",
        "html_page": "HTML page",
        "malformed": "malformed XML",
        "unknown_root": "unknown root element",
        "unsupported_encoding": "unsupported encoding",
        "too_large": "too large",
        "entity_limit": "entity expansion refused",
        "time_limit": "time limit",
        "invalid_json": "not a GNews response",
        "gnews_error": "GNews error",
    ]
}
