import Foundation

/// `fixtures/feeds/`: each input `NAME.EXT` with its `NAME.expected.json` — the items it must
/// parse to, or the error kind it must be refused with (the same files FeedsTests use).
enum FeedFixtures {
    static let directory = NewsbotBinary.repository.appendingPathComponent("fixtures/feeds", isDirectory: true)

    /// Input file names (relative to the repository) by fixture name, sorted by name.
    static func inputs() throws -> [(name: String, path: String)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let names = files.filter { $0.hasSuffix(".expected.json") }.map { String($0.dropLast(".expected.json".count)) }.sorted()
        return try names.map { name in
            let matches = files.filter { $0.hasPrefix(name + ".") && !$0.hasSuffix(".expected.json")
                && !$0.dropFirst(name.count + 1).contains(".") }
            guard matches.count == 1 else {
                throw NewsbotBinaryError(message: "fixture \(name) needs exactly one input file, found \(matches)")
            }
            return (name, "fixtures/feeds/" + matches[0])
        }
    }

    static func expectation(_ name: String) throws -> FeedExpectation {
        try JSONDecoder().decode(FeedExpectation.self, from: Data(contentsOf: directory.appendingPathComponent(name + ".expected.json")))
    }
}
