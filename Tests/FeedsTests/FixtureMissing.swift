/// A fixture expectation without exactly one input file next to it.
struct FixtureMissing: Error, CustomStringConvertible {
    var name: String
    var candidates: [String]
    var description: String { "fixture \(name): expected one input file, found \(candidates)" }
}
