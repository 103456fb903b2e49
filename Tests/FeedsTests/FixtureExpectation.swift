/// The contents of `fixtures/feeds/NAME.expected.json`: either the error kind the input must
/// be refused with, or the feed's format and its items in feed order. Optional keys are only
/// checked when present, so an expectation states exactly what it means to pin down.
struct FixtureExpectation: Decodable {
    /// A `FeedError.Kind` raw value.
    var error: String?
    /// A `FeedFormat` raw value.
    var format: String?
    var title: String?
    var declaredEncoding: String?
    var byteOrderMark: Bool?
    var items: [Item]?
    /// Substrings each of which some warning must contain.
    var warnings: [String]?

    /// One expected item. `link` and `published` are always compared (null means absent);
    /// `published` is ISO 8601 UTC, whole seconds, as `sources check --json` prints it.
    struct Item: Decodable {
        var title: String
        var link: String?
        var published: String?
        var guid: String?
        var summary: String?
        var source: String?
    }

    enum CodingKeys: String, CodingKey {
        case error, format, title, items, warnings
        case declaredEncoding = "declared_encoding"
        case byteOrderMark = "byte_order_mark"
    }
}
