import Dispatch

/// One SQLite connection confined to one serial `DispatchQueue`: every call on the connection,
/// including ones that block on another process's lock or on disk, runs there and never on
/// Swift Concurrency's cooperative pool.
///
/// `@unchecked Sendable` is safe because `connection` and `closed` are only read or written from
/// `queue`, which runs one closure at a time; the rest is immutable.
final class SQLiteWorker: @unchecked Sendable {
    let queue: DispatchQueue
    private let open: @Sendable () throws -> SQLiteConnection
    private var connection: SQLiteConnection?
    private var closed = false

    /// - Parameter open: opens and configures the connection; called lazily on `queue`.
    init(label: String, open: @escaping @Sendable () throws -> SQLiteConnection) {
        self.queue = DispatchQueue(label: label, qos: .userInitiated)
        self.open = open
    }

    deinit {
        // No closure is running: each one retains `self` until it finishes.
        connection?.close()
    }

    /// The connection, opened on first use. Only call on `queue`.
    func openConnection() throws -> SQLiteConnection {
        if let connection { return connection }
        guard !closed else { throw SQLiteError(code: 21, operation: "use a closed database") }
        let connection = try open()
        self.connection = connection
        return connection
    }

    /// Runs `body` on the queue with the connection and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(try self.openConnection()) })
            }
        }
    }

    /// Closes the connection; later calls throw.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection?.close()
                self.connection = nil
                self.closed = true
                continuation.resume()
            }
        }
    }
}
