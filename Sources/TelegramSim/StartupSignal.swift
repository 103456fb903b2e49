import Synchronization

/// Hands the bound port (or the startup error) from the server task to `start()`,
/// exactly once, whichever comes first.
final class StartupSignal: Sendable {
    private let continuation = Mutex<CheckedContinuation<Int, any Error>?>(nil)

    func install(_ continuation: CheckedContinuation<Int, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(with result: Result<Int, any Error>) {
        let continuation = self.continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        continuation?.resume(with: result)
    }
}
