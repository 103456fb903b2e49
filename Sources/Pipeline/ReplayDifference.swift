/// Where a replay's output first differs from the batch's golden file (`--check`).
public struct ReplayDifference: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the first difference; 0 when a whole file is missing.
    public var line: Int
    public var expected: String?
    public var actual: String?

    public init(file: String, line: Int, expected: String?, actual: String?) {
        self.file = file
        self.line = line
        self.expected = expected
        self.actual = actual
    }

    /// `digests.jsonl:3: expected {"user_id":… got {"user_id":…` (long lines shortened).
    public var description: String {
        if line == 0 { return "\(file): \(expected == nil ? "missing in expected/" : "not produced")" }
        return "\(file):\(line): expected \(Self.show(expected)), got \(Self.show(actual))"
    }

    private static func show(_ line: String?) -> String {
        guard let line else { return "end of file" }
        return line.count > 160 ? String(line.prefix(160)) + "…" : line
    }
}
