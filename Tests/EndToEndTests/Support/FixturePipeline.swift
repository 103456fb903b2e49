import Foundation

/// A copy of `pipelines/daily.yml` for an end-to-end test: under its own name (so its runs do
/// not mix with others'), keeping the fixture batch's old articles (`max_age_hours` lifted),
/// optionally at another global send rate.
enum FixturePipeline {
    static func write(named name: String, in directory: URL, globalRate: Int? = nil) throws -> URL {
        let daily = try String(contentsOf: NewsbotBinary.repository.appendingPathComponent("pipelines/daily.yml"), encoding: .utf8)
        var text = daily.replacingOccurrences(of: "name: daily", with: "name: \(name)")
            .replacingOccurrences(of: "max_age_hours: 72", with: "max_age_hours: 100000")
        if let globalRate { text = text.replacingOccurrences(of: "global_rate: 30 ", with: "global_rate: \(globalRate) ") }
        let file = directory.appendingPathComponent("\(name).yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
