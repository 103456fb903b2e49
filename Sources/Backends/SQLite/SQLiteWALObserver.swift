import Dispatch
import Synchronization

/// Checkpoints the WAL off the write path: SQLite's automatic checkpoint would copy the WAL into
/// the database (and fsync) inside whichever commit crosses the threshold, adding ~0.5 s to a
/// 100k-row bulk insert. Instead the writer's WAL hook calls `walGrew`, and a separate
/// connection on its own queue runs a PASSIVE checkpoint, which never blocks writers or readers.
final class SQLiteWALObserver: Sendable {
    private let checkpointer: SQLiteWorker
    private let thresholdPages: Int
    private let scheduled = Mutex(false)

    init(checkpointer: SQLiteWorker, thresholdPages: Int) {
        self.checkpointer = checkpointer
        self.thresholdPages = thresholdPages
    }

    /// Called on the writer queue after each commit with the WAL's size in pages.
    func walGrew(to pages: Int) {
        guard pages >= thresholdPages else { return }
        let schedule = scheduled.withLock { scheduled -> Bool in
            if scheduled { return false }
            scheduled = true
            return true
        }
        guard schedule else { return }
        checkpointer.queue.async { [self] in
            scheduled.withLock { $0 = false }
            // Best effort: a failed checkpoint leaves the WAL longer, never loses data.
            try? checkpointer.openConnection().checkpoint()
        }
    }
}
