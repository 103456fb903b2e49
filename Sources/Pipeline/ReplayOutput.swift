import Foundation

/// The three files of a replay, as bytes: `digests.jsonl`, `summary.json`, `index.html`.
/// The same batch gives the same bytes.
public struct ReplayOutput: Sendable, Hashable {
    public static let fileNames = ["digests.jsonl", "summary.json", "index.html"]

    public var digestsJSONL: Data
    public var summaryJSON: Data
    public var indexHTML: Data

    public init(digestsJSONL: Data, summaryJSON: Data, indexHTML: Data) {
        self.digestsJSONL = digestsJSONL
        self.summaryJSON = summaryJSON
        self.indexHTML = indexHTML
    }

    public var files: [(name: String, data: Data)] {
        [("digests.jsonl", digestsJSONL), ("summary.json", summaryJSON), ("index.html", indexHTML)]
    }

    /// Writes the files into `directory`, creating it.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, data) in files {
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }

    /// Compares with the golden files in `directory` (the batch's `expected/`): for each file,
    /// the first differing line. Empty when everything matches.
    public func differences(from directory: URL) -> [ReplayDifference] {
        var differences: [ReplayDifference] = []
        for (name, data) in files {
            guard let golden = try? Data(contentsOf: directory.appendingPathComponent(name)) else {
                differences.append(ReplayDifference(file: name, line: 0, expected: nil, actual: ""))
                continue
            }
            guard golden != data else { continue }
            let expected = Self.lines(golden), actual = Self.lines(data)
            let index = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expected.count, actual.count)
            differences.append(ReplayDifference(file: name, line: index + 1,
                                                expected: index < expected.count ? expected[index] : nil,
                                                actual: index < actual.count ? actual[index] : nil))
        }
        return differences
    }

    /// Lines without their terminators; a final newline does not make an extra empty line, but
    /// its absence is still a difference (the bytes differ, and the last lines then differ).
    private static func lines(_ data: Data) -> [String] {
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() } else if !lines.isEmpty { lines[lines.count - 1] += "⟨no newline at end⟩" }
        return lines
    }
}
