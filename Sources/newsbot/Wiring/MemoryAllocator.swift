import CJemalloc

/// Which allocator serves this process's `malloc`: the executable links jemalloc (see
/// Package.swift), and a build or a loader that put glibc's first would quietly lose that.
/// The load tests print it next to their peak memory, so a figure always says what it ran on.
enum MemoryAllocator {
    /// "jemalloc 5.3.0-…" when jemalloc serves `malloc`, "the C library's malloc" when it does
    /// not, "unknown" when jemalloc keeps no counts to tell by.
    static let description: String = {
        guard let before = allocatedByThisThread() else { return "unknown" }
        // Swift's allocations go through `malloc`: jemalloc counts this one only if it serves it.
        let probe = UnsafeMutableRawPointer.allocate(byteCount: probeBytes, alignment: 16)
        let after = allocatedByThisThread() ?? before
        probe.deallocate()
        guard after >= before &+ UInt64(probeBytes) else { return "the C library's malloc" }
        return "jemalloc " + (string("version") ?? "(version unknown)")
    }()

    private static let probeBytes = 1 << 16

    /// Bytes jemalloc has handed this thread so far (`thread.allocated`; needs its statistics).
    private static func allocatedByThisThread() -> UInt64? {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return mallctl("thread.allocated", &value, &size, nil, 0) == 0 ? value : nil
    }

    private static func string(_ name: String) -> String? {
        var value: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl(name, &value, &size, nil, 0) == 0, let value else { return nil }
        return String(cString: value)
    }
}
