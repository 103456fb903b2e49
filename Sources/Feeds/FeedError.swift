/// Why one feed could not be parsed. One bad feed never affects the others: the fetch stage
/// records this per source and moves on.
///
/// `description` is terse and built only from the kind, a line number and short details
/// (an element or encoding name, libxml2's message, GNews' own error text), never from the
/// document's content, so it is safe to log and to show in `sources check`.
public struct FeedError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: Kind
    /// 1-based line in the document where XML parsing stopped, when known.
    public var line: Int?
    /// A short specific detail: the unknown root element, the encoding name, the parser's
    /// message, GNews' error messages.
    public var detail: String?

    public init(_ kind: Kind, line: Int? = nil, detail: String? = nil) {
        self.kind = kind
        self.line = line
        self.detail = detail
    }

    public var description: String {
        var text = kind.summary
        if let line { text += " at line \(line)" }
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
