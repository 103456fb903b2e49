import Core
import Foundation
import Yams

/// Walks a composed YAML tree and reads typed values out of it, recording a
/// `PipelineLoadIssue` (line, key, message) for every problem instead of stopping at the first.
///
/// Scalars are parsed strictly here rather than through YAML 1.1 tag resolution, so `08:00` is
/// never a sexagesimal number and `no` never a boolean by accident.
struct PipelineYAMLReader {
    private(set) var issues: [PipelineLoadIssue] = []

    mutating func fail(_ node: Node?, _ key: String, _ message: String) {
        issues.append(PipelineLoadIssue(line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0,
                                        key: key, message: message))
    }

    /// The mapping's entries in file order; unknown keys, non-string keys and duplicates are issues.
    mutating func mapping(_ node: Node, _ path: String, allowed: Set<String>? = nil) -> [(key: String, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            fail(node, path, "must be a mapping")
            return nil
        }
        var seen = Set<String>()
        var entries: [(key: String, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                fail(keyNode, path, "keys must be plain strings")
                continue
            }
            let key = scalar.string
            let child = Self.join(path, key)
            if let allowed, !allowed.contains(key) {
                fail(keyNode, child, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
                continue
            }
            guard seen.insert(key).inserted else {
                fail(keyNode, child, "duplicate key")
                continue
            }
            entries.append((key, value))
        }
        return entries
    }

    mutating func sequence(_ node: Node, _ path: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            fail(node, path, "must be a list")
            return nil
        }
        return Array(sequence)
    }

    mutating func string(_ node: Node, _ path: String, nonEmpty: Bool = true) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(scalar) else {
            fail(node, path, "must be a string")
            return nil
        }
        if nonEmpty, scalar.string.trimmingWhitespace().isEmpty {
            fail(node, path, "must not be empty")
            return nil
        }
        return scalar.string
    }

    mutating func stringList(_ node: Node, _ path: String) -> [String]? {
        guard let items = sequence(node, path) else { return nil }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            if let value = string(item, "\(path)[\(index)]") { result.append(value) }
        }
        return result.count == items.count ? result : nil
    }

    /// An integer that satisfies `valid`, described by `requirement` in the issue.
    mutating func int(_ node: Node, _ path: String, _ requirement: String, _ valid: (Int) -> Bool) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string), valid(value) else {
            fail(node, path, "must be an integer \(requirement)")
            return nil
        }
        return value
    }

    mutating func double(_ node: Node, _ path: String, _ requirement: String, _ valid: (Double) -> Bool) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string),
              value.isFinite, valid(value) else {
            fail(node, path, "must be a number \(requirement)")
            return nil
        }
        return value
    }

    /// `500ms`, `30s`, `15m`, `1h`, `2d`, or a bare number of seconds; must be > 0.
    mutating func duration(_ node: Node, _ path: String) -> Duration? {
        guard case .scalar(let scalar) = node, let value = Self.parseDuration(scalar.string), value > .zero else {
            fail(node, path, "must be a duration > 0 such as 500ms, 30s, 15m, 1h or 2d")
            return nil
        }
        return value
    }

    static func parseDuration(_ text: String) -> Duration? {
        let raw = text.trimmingWhitespace()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for unit in units where raw.hasSuffix(unit.suffix) {
            let number = raw.dropLast(unit.suffix.count)
            // "5ms" also ends in "s": only accept when what is left is a number.
            guard let value = Double(number), value.isFinite, value >= 0 else { continue }
            return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
        }
        guard let seconds = Double(raw), seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
