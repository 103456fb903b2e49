extension SQLiteConnection {
    /// Runs `body` between BEGIN and COMMIT; rolls back when it throws. Not nestable: a
    /// `SQLiteDatabase` closure already runs inside one.
    public func transaction<T>(_ kind: SQLiteTransactionKind, _ body: () throws -> T) throws -> T {
        try run(kind.rawValue)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            if inTransaction { _ = try? run("ROLLBACK") }
            throw error
        }
    }
}
