import Synchronization

/// In-process coalescing: concurrent callers asking for the same key share one running task
/// instead of each starting their own (and each polling the shared cache's lock).
final class SingleFlight<Value: Sendable>: Sendable {
    private let running = Mutex<[String: Task<Value, any Error>]>([:])

    /// Runs `work` for `key` unless it is already running, then awaits the shared result.
    /// `joined` is true when this caller waited for someone else's task.
    func run(_ key: String, _ work: @escaping @Sendable () async throws -> Value) async throws -> (value: Value, joined: Bool) {
        let (task, joined) = running.withLock { tasks -> (Task<Value, any Error>, Bool) in
            if let task = tasks[key] { return (task, true) }
            let task = Task { try await work() }
            tasks[key] = task
            return (task, false)
        }
        if !joined {
            // The starter removes the entry once the task ends, whatever its outcome, so a failure
            // is not cached here: the next caller tries again.
            defer { _ = running.withLock { $0.removeValue(forKey: key) } }
            let result = await task.result
            return (try result.get(), false)
        }
        return (try await task.value, true)
    }
}
