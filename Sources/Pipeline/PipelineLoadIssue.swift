/// One problem found in a pipeline file: where it is and which key it concerns, so an operator
/// can jump straight to it.
public struct PipelineLoadIssue: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line; 0 when the problem concerns the whole file.
    public var line: Int
    public var column: Int
    /// Dotted key path, e.g. `rank.top_k` or `sources[1].url`; empty for the document itself.
    public var key: String
    public var message: String

    public init(line: Int, column: Int = 0, key: String, message: String) {
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `12: rank.top_k: must be an integer > 0`
    public var description: String {
        key.isEmpty ? "\(line): \(message)" : "\(line): \(key): \(message)"
    }
}
