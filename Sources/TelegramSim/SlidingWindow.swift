/// Timestamps (nanoseconds on the simulator's monotonic clock) of the events in the
/// last `span`, in a growable ring buffer: appending and evicting are O(1) amortised
/// and allocate only when the window's population reaches a new high.
///
/// One type serves both jobs of the simulator: enforcing "at most N per window" and
/// measuring the most events ever seen within one window.
struct SlidingWindow: Sendable {
    let span: Int64
    private var storage: [Int64] = []
    private var head = 0
    private(set) var count = 0

    init(span: Duration) {
        self.span = SlidingWindow.nanoseconds(span)
    }

    /// Drops events at or before `now - span`.
    mutating func evict(now: Int64) {
        let cutoff = now - span
        while count > 0 && storage[head] <= cutoff {
            head += 1
            if head == storage.count { head = 0 }
            count -= 1
        }
    }

    /// Nanoseconds until the oldest event leaves the window (so one more fits).
    func timeUntilSlotFrees(now: Int64) -> Int64 {
        guard count > 0 else { return 0 }
        return max(storage[head] + span - now, 0)
    }

    mutating func append(_ time: Int64) {
        if count == storage.count { grow() }
        var tail = head + count
        if tail >= storage.count { tail -= storage.count }
        storage[tail] = time
        count += 1
    }

    mutating func removeAll() {
        storage = []
        head = 0
        count = 0
    }

    private mutating func grow() {
        let newCapacity = max(4, storage.count * 2)
        var grown = [Int64](repeating: 0, count: newCapacity)
        for offset in 0..<count {
            var index = head + offset
            if index >= storage.count { index -= storage.count }
            grown[offset] = storage[index]
        }
        storage = grown
        head = 0
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
