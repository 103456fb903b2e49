import Foundation

/// Wall-clock time and sleeping, injectable so the scheduler, retries and limiters can be
/// tested with a manual clock.
public protocol NewsbotClock: Sendable {
    func now() -> Date
    func sleep(for duration: Duration) async throws
}
