import Core
import Foundation

/// Watches a slot run by polling the store's counts (`pipeline run --wait`), and marks it
/// completed once nothing is pending — workers never need to agree on who finished last.
public struct RunMonitor: Sendable {
    let store: any SubscriberStore
    let clock: any NewsbotClock
    public var pollInterval: Duration

    public init(store: any SubscriberStore, clock: any NewsbotClock = SystemClock(), pollInterval: Duration = .milliseconds(500)) {
        self.store = store
        self.clock = clock
        self.pollInterval = pollInterval
    }

    /// The run now; marks it completed when it is finished and not marked yet.
    public func progress(_ key: SlotRunKey, startedAt: Date? = nil) async throws -> RunProgress {
        guard var run = try await store.run(key) else {
            throw NewsbotError(.notFound, "no run \(key)")
        }
        let now = clock.now()
        let elapsed = Duration.seconds(max(0, now.timeIntervalSince(startedAt ?? run.createdAt)))
        let progress = RunProgress(run: run, elapsed: elapsed)
        if progress.isFinished, run.completedAt == nil {
            try await store.markRunCompleted(key, at: now)
            run.completedAt = now
            return RunProgress(run: run, elapsed: elapsed)
        }
        return progress
    }

    /// Polls until the run is finished, calling `onProgress` after every poll (the last call sees
    /// the finished run). Trigger the run before waiting: a run whose users are not added yet
    /// looks finished. Throws `NewsbotError(.timeout)` after `timeout`.
    public func waitForCompletion(_ key: SlotRunKey, timeout: Duration? = nil,
                                  onProgress: @Sendable (RunProgress) async -> Void = { _ in }) async throws -> RunProgress {
        let started = clock.now()
        while true {
            let progress = try await self.progress(key, startedAt: started)
            await onProgress(progress)
            if progress.isFinished { return progress }
            if let timeout, progress.elapsed >= timeout {
                throw NewsbotError(.timeout, "run \(key) not finished after \(RunProgress.format(progress.elapsed))")
            }
            try await clock.sleep(for: pollInterval)
        }
    }
}
