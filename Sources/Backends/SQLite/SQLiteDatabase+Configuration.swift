extension SQLiteDatabase {
    /// Connection settings; the defaults suit the embedded service.
    public struct Configuration: Sendable, Hashable {
        /// How long a statement waits for another connection's write lock before failing with
        /// `SQLITE_BUSY` (other processes on the same file).
        public var busyTimeout: Duration
        /// Page cache size in KiB (`PRAGMA cache_size = -N`).
        public var cacheSizeKiB: Int
        /// Applies pending migrations on open.
        public var migrate: Bool
        /// WAL size (in pages) that triggers a background checkpoint.
        public var checkpointPages: Int

        public init(busyTimeout: Duration = .seconds(10), cacheSizeKiB: Int = 16 * 1024, migrate: Bool = true,
                    checkpointPages: Int = 4096) {
            self.busyTimeout = busyTimeout
            self.cacheSizeKiB = cacheSizeKiB
            self.migrate = migrate
            self.checkpointPages = checkpointPages
        }
    }
}
