/// How a transaction begins. Writers use `immediate` so the lock is taken before anything is read:
/// a deferred transaction that later writes can fail with `SQLITE_BUSY` in WAL mode when another
/// process committed in between, without the busy timeout helping.
public enum SQLiteTransactionKind: String, Sendable {
    case deferred = "BEGIN DEFERRED"
    case immediate = "BEGIN IMMEDIATE"
}
