import Core

/// The embedded default in one value: opens the SQLite file once (`DATABASE_URL=sqlite:PATH`),
/// migrates it, and hands out every store sharing that one database handle and queue.
///
/// ```swift
/// let embedded = try await SQLiteEmbedded.open(url: "sqlite:var/newsbot.sqlite")
/// let store: any SubscriberStore = embedded.subscribers
/// let queue: any JobQueue = embedded.jobs
/// ```
public final class SQLiteEmbedded: Sendable {
    public let database: SQLiteDatabase
    public let subscribers: SQLiteSubscriberStore
    public let conversations: SQLiteConversationStateStore
    public let jobs: SQLiteJobQueue
    public let newsCache: SQLiteNewsCache
    public let leaderLock: SQLiteLeaderLock

    /// Builds the stores over an already open database.
    public init(database: SQLiteDatabase, queue: SQLiteJobQueue.Configuration = .init(),
                clock: any NewsbotClock = SystemClock()) {
        self.database = database
        self.subscribers = SQLiteSubscriberStore(database: database, clock: clock)
        self.conversations = SQLiteConversationStateStore(database: database, clock: clock)
        self.jobs = SQLiteJobQueue(database: database, configuration: queue, clock: clock)
        self.newsCache = SQLiteNewsCache(database: database, clock: clock)
        self.leaderLock = SQLiteLeaderLock(database: database, clock: clock)
    }

    /// Opens `sqlite:PATH` (parent directories created) or `sqlite::memory:` and migrates it.
    public static func open(url: String, database configuration: SQLiteDatabase.Configuration = .init(),
                            queue: SQLiteJobQueue.Configuration = .init(),
                            clock: any NewsbotClock = SystemClock()) async throws -> SQLiteEmbedded {
        SQLiteEmbedded(database: try await SQLiteDatabase.open(url: url, configuration: configuration), queue: queue, clock: clock)
    }

    public static func open(_ location: SQLiteLocation, database configuration: SQLiteDatabase.Configuration = .init(),
                            queue: SQLiteJobQueue.Configuration = .init(),
                            clock: any NewsbotClock = SystemClock()) async throws -> SQLiteEmbedded {
        SQLiteEmbedded(database: try await SQLiteDatabase.open(location, configuration: configuration), queue: queue, clock: clock)
    }
}
