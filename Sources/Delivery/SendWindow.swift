import Core
import Foundation
import Synchronization

/// Keeps this worker's sends within `limit` per `span` *as the receiver counts them*, whatever
/// the latency.
///
/// A token bucket spaces the moments requests *start*; Telegram (and the simulator) count
/// the moments they *arrive*. If one request is slow to arrive (a new connection, a busy CPU)
/// and the next thirty are quick, thirty-one can land in one second although their tokens were
/// spaced correctly. Every arrival lies between its request's start and its response, so a
/// send may start only while fewer than `limit` sends are "active", where a send is active
/// from its start until `span` after its response. Then no window of `span` at the receiver
/// can hold more than `limit` arrivals. It costs one latency per window: at 1 ms on localhost
/// nothing, at 100 ms to Telegram about 10% of the rate, which is the price of never seeing 429.
///
/// Local to one worker; the shared `RateLimiter` still splits the budget between workers.
final class SendWindow: Sendable {
    private struct State {
        var inFlight = 0
        /// Response times of finished sends still within `span`, oldest first.
        var finished: [Date] = []
    }

    let limit: Int
    let span: Duration
    private let state = Mutex(State())
    private let clock: any NewsbotClock

    /// - Parameter ratePerSecond: the receiver's limit (not reduced by a safety margin: the
    ///   window is exact). Below 1/s the window widens to hold one send.
    init?(ratePerSecond: Double, clock: any NewsbotClock) {
        guard ratePerSecond > 0 else { return nil }
        if ratePerSecond >= 1 {
            limit = Int(ratePerSecond.rounded(.down))
            span = .seconds(1)
        } else {
            limit = 1
            span = .seconds(1 / ratePerSecond)
        }
        self.clock = clock
    }

    /// Waits until a send may start and counts it as in flight; balance with `finish()`.
    func start() async throws {
        while true {
            let wait = tryStart()
            if wait <= .zero { return }
            try await clock.sleep(for: wait)
        }
    }

    /// The send's response (or failure) arrived.
    func finish() {
        let now = clock.now()
        state.withLock { s in
            s.inFlight -= 1
            s.finished.append(now)
        }
    }

    /// Counts a send as started and returns zero, or returns how long to wait first.
    private func tryStart() -> Duration {
        let now = clock.now()
        let spanSeconds = span.timeInterval
        return state.withLock { s in
            let expired = s.finished.prefix { now.timeIntervalSince($0) >= spanSeconds }.count
            if expired > 0 { s.finished.removeFirst(expired) }
            if s.inFlight + s.finished.count < limit {
                s.inFlight += 1
                return .zero
            }
            guard let oldest = s.finished.first else {
                // Every slot is a send still waiting for its answer: look again shortly.
                return .milliseconds(5)
            }
            return .seconds(max(spanSeconds - now.timeIntervalSince(oldest), 0.000_1))
        }
    }
}
