/// The one getUpdates call allowed to wait at a time, and how to wake it.
struct PollWaiter: Sendable {
    var id: UInt64
    var continuation: CheckedContinuation<PollWake, Never>
}
