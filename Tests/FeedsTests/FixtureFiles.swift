import Foundation

/// Locates the repository's `fixtures/feeds/` from this source file, so the unit tests and
/// `newsbot sources check` share one copy of every fixture (no test resource bundle).
enum FixtureFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FeedsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("fixtures/feeds", isDirectory: true)

    /// Every fixture that has a `NAME.expected.json`, by NAME, sorted.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".expected.json") }
            .map { String($0.dropLast(".expected.json".count)) }
            .sorted()
    }()

    /// The input file of fixture NAME: the one file named NAME.<ext> that is not its expectation.
    static func input(_ name: String) throws -> URL {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let matches = files.filter { $0.hasPrefix(name + ".") && !$0.hasSuffix(".expected.json") && $0.dropFirst(name.count + 1).contains(".") == false }
        guard matches.count == 1 else { throw FixtureMissing(name: name, candidates: matches) }
        return directory.appendingPathComponent(matches[0])
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: input(name)))
    }

    static func expectation(_ name: String) throws -> FixtureExpectation {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".expected.json"))
        return try JSONDecoder().decode(FixtureExpectation.self, from: data)
    }
}
