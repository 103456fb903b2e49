/// What an input is, judged from its first bytes before any real parsing.
enum InputKind: Equatable {
    /// Nothing but whitespace (after a byte-order mark).
    case empty
    /// Starts with `<` and is not an HTML page.
    case xml
    /// Starts with `{` or `[`.
    case json
    /// An HTML document: `<!DOCTYPE html>` or a root `html`, `head` or `body` element.
    case html
    /// Anything else; `gzip` is true for a gzip stream nobody inflated.
    case other(gzip: Bool)
}
