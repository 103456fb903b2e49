import Core

/// `.sqlite(database)` factories, so wiring reads alike across backends (`.memory`, `.sqlite(…)`,
/// `.rabbitMQ(…)`).
extension SubscriberStore where Self == SQLiteSubscriberStore {
    public static func sqlite(_ database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) -> SQLiteSubscriberStore {
        SQLiteSubscriberStore(database: database, clock: clock)
    }
}

extension ConversationStateStore where Self == SQLiteConversationStateStore {
    public static func sqlite(_ database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) -> SQLiteConversationStateStore {
        SQLiteConversationStateStore(database: database, clock: clock)
    }
}

extension JobQueue where Self == SQLiteJobQueue {
    public static func sqlite(_ database: SQLiteDatabase, configuration: SQLiteJobQueue.Configuration = .init(),
                              clock: any NewsbotClock = SystemClock()) -> SQLiteJobQueue {
        SQLiteJobQueue(database: database, configuration: configuration, clock: clock)
    }
}

extension NewsCache where Self == SQLiteNewsCache {
    public static func sqlite(_ database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) -> SQLiteNewsCache {
        SQLiteNewsCache(database: database, clock: clock)
    }
}

extension LeaderLock where Self == SQLiteLeaderLock {
    public static func sqlite(_ database: SQLiteDatabase, clock: any NewsbotClock = SystemClock()) -> SQLiteLeaderLock {
        SQLiteLeaderLock(database: database, clock: clock)
    }
}
