/// One caller's write closure and the continuation waiting for it to be committed.
///
/// `@unchecked Sendable`: created by the caller, then only used on the writer queue (execute,
/// then finish exactly once), so `result` is never touched from two threads.
final class SQLiteWrite<T: Sendable>: SQLiteWriteRequest, @unchecked Sendable {
    private let body: @Sendable (SQLiteConnection) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var result: Result<T, any Error>?

    init(body: @escaping @Sendable (SQLiteConnection) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func execute(_ connection: SQLiteConnection) -> Bool {
        let result = Result { try body(connection) }
        self.result = result
        if case .failure = result { return false }
        return true
    }

    func finish(commitError: (any Error)?) {
        switch (result, commitError) {
        case (.failure(let error)?, _): continuation.resume(throwing: error)
        case (_, let error?): continuation.resume(throwing: error)
        case (.success(let value)?, nil): continuation.resume(returning: value)
        case (nil, nil): continuation.resume(throwing: SQLiteError(code: 1, operation: "write that never ran"))
        }
    }
}
