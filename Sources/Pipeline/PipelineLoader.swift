import Core
import Foundation
import Yams

/// Loads `pipelines/*.yml` into a `PipelineDefinition`, rejecting anything it does not
/// understand: unknown keys, wrong types, out-of-range numbers, sources a topic names but the
/// file does not define. A typo in an operator's file must fail loudly at start-up, not silently
/// fall back to a default in the middle of the night.
///
/// Every key is optional except `sources`; missing ones take the defaults of the Core policies.
public struct PipelineLoader: Sendable {
    public init() {}

    /// Reads and validates the file at `url`. `displayName` names it in errors (defaults to the path).
    public func load(contentsOf url: URL, displayName: String? = nil) throws(PipelineLoadError) -> PipelineDefinition {
        let file = displayName ?? url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipelineLoadError(file: file, issues: [PipelineLoadIssue(line: 0, key: "", message: "cannot read the file")])
        }
        let defaultName = url.deletingPathExtension().lastPathComponent
        return try parse(text, file: file, defaultName: defaultName)
    }

    /// Finds and loads `nameOrPath`: see `locate(_:searchingFrom:)`.
    public func load(_ nameOrPath: String, searchingFrom directories: [URL] = []) throws(PipelineLoadError) -> PipelineDefinition {
        let url = try locate(nameOrPath, searchingFrom: directories)
        return try load(contentsOf: url, displayName: nameOrPath.contains("/") ? nameOrPath : Self.relativeName(nameOrPath))
    }

    /// A path (it contains `/` or ends in `.yml`/`.yaml`) is taken as is when absolute, else
    /// relative to the current directory, then to each of `directories`. A bare name `NAME` is
    /// `pipelines/NAME.yml` in the current directory, in `directories`, or in any of their
    /// parents (so a batch deep inside the repository finds the repository's pipelines).
    public func locate(_ nameOrPath: String, searchingFrom directories: [URL] = []) throws(PipelineLoadError) -> URL {
        let fileManager = FileManager.default
        let cwd = URL(fileURLWithPath: fileManager.currentDirectoryPath, isDirectory: true)
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yml") || nameOrPath.hasSuffix(".yaml")
        var candidates: [URL] = []
        if isPath {
            if nameOrPath.hasPrefix("/") {
                candidates = [URL(fileURLWithPath: nameOrPath)]
            } else {
                candidates = ([cwd] + directories).map { $0.appendingPathComponent(nameOrPath) }
            }
        } else {
            for start in [cwd] + directories {
                var directory = start.standardizedFileURL
                while true {
                    candidates.append(directory.appendingPathComponent(Self.relativeName(nameOrPath)))
                    let parent = directory.deletingLastPathComponent()
                    if parent.path == directory.path { break }
                    directory = parent
                }
            }
        }
        if let found = candidates.first(where: { fileManager.fileExists(atPath: $0.path) }) { return found }
        throw PipelineLoadError(file: isPath ? nameOrPath : Self.relativeName(nameOrPath),
                                issues: [PipelineLoadIssue(line: 0, key: "", message: "pipeline file not found")])
    }

    static func relativeName(_ name: String) -> String { "pipelines/\(name).yml" }

    /// Parses and validates YAML text. `defaultName` is the pipeline's name when the file has no `name`.
    public func parse(_ yaml: String, file: String, defaultName: String) throws(PipelineLoadError) -> PipelineDefinition {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PipelineLoadError(file: file, issues: [Self.issue(for: error)])
        }
        guard let root else {
            throw PipelineLoadError(file: file, issues: [PipelineLoadIssue(line: 0, key: "", message: "the file is empty")])
        }
        var reader = PipelineYAMLReader()
        let definition = PipelineDefinitionBuilder.build(root, defaultName: defaultName, reader: &reader)
        guard reader.issues.isEmpty, let definition else {
            throw PipelineLoadError(file: file, issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return definition
    }

    /// A YAML syntax error as an issue with the line libyaml reported.
    static func issue(for error: any Error) -> PipelineLoadIssue {
        guard let yamlError = error as? YamlError else {
            return PipelineLoadIssue(line: 0, key: "", message: "invalid YAML")
        }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PipelineLoadIssue(line: mark.line, column: mark.column, key: "", message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PipelineLoadIssue(line: context.mark.line, column: context.mark.column,
                                     key: duplicates.joined(separator: ", "), message: "duplicate key")
        case .reader(let problem, _, _, _):
            return PipelineLoadIssue(line: 0, key: "", message: "invalid YAML: \(problem)")
        default:
            return PipelineLoadIssue(line: 0, key: "", message: "invalid YAML")
        }
    }
}
