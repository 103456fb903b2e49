/// A write waiting for the next group commit (see `SQLiteDatabase.write`). Only touched on the
/// writer queue once enqueued.
protocol SQLiteWriteRequest: AnyObject, Sendable {
    /// Runs the body inside the open transaction. Returns false when the body threw (its changes
    /// must then be rolled back to the savepoint).
    func execute(_ connection: SQLiteConnection) -> Bool
    /// Resumes the waiting caller: with the body's result, or with `commitError` when the
    /// transaction as a whole failed.
    func finish(commitError: (any Error)?)
}
