import Core
import Synchronization

/// Runs an operation with a time limit and returns as soon as either finishes.
///
/// A task group cannot do this here: a query waiting on a dead server's socket (or for a pool
/// connection that will never open) may not end when cancelled, and a group waits for all of its
/// children. The operation runs in its own task instead; on timeout it is cancelled and left to
/// finish on its own while the caller moves on to the primary.
final class PostgresDeadline<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)
    private let tasks = Mutex<[Task<Void, Never>]>([])

    private init() {}

    static func run(limit: Duration, what: String,
                    _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let race = PostgresDeadline<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                race.continuation.withLock { $0 = continuation }
                let work = Task {
                    do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    do { try await Task.sleep(for: limit) } catch { return }
                    race.finish(.failure(NewsbotError(.timeout, "postgres \(what): no answer within \(limit)")))
                }
                race.tasks.withLock { $0 = [work, timer] }
                if Task.isCancelled { race.finish(.failure(CancellationError())) }
                // Finished before the tasks were stored: stop the timer now rather than at the limit.
                if race.continuation.withLock({ $0 == nil }) { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// Resumes the caller once with the first result and cancels whichever task is still running.
    private func finish(_ result: Result<Value, any Error>) {
        guard let waiting = continuation.withLock({ c -> CheckedContinuation<Value, any Error>? in
            defer { c = nil }
            return c
        }) else { return }
        waiting.resume(with: result)
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}
