/// A pipeline file that cannot be used, with every problem found in it (not only the first),
/// each naming file, line and key: `pipelines/daily.yml:12: rank.top_k: must be an integer > 0`.
public struct PipelineLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named to the loader.
    public var file: String
    public var issues: [PipelineLoadIssue]

    public init(file: String, issues: [PipelineLoadIssue]) {
        self.file = file
        self.issues = issues
    }

    public var description: String {
        issues.map { "\(file):\($0)" }.joined(separator: "\n")
    }
}
