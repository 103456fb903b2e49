import Foundation

/// The process's peak resident memory (`VmHWM` in /proc/self/status), in MiB; nil elsewhere.
enum PeakMemory {
    static func mebibytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Double($0) }
            return kib.map { $0 / 1024 }
        }
        return nil
    }

    /// The load tests' report line: the peak and the allocator it was reached with.
    static func reportLine() -> String {
        "  peak memory: " + (mebibytes().map { String(format: "%.0f MiB", $0) } ?? "unknown")
            + " (allocator: \(MemoryAllocator.description))"
    }
}
