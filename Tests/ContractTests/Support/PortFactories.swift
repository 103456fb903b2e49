import Core
import Foundation
import SQLiteBackend

/// Every implementation each contract suite runs against — the one place a backend joins.
///
/// To add a scaled-out implementation, append a `PortFactory` to the port's list below, guarded
/// by its server URL so it runs only when that server is there, e.g.
///
/// ```swift
/// + ContractServers.redisURL.map { url in
///     [PortFactory<any NewsCache>("redis", timeSource: .server) { environment in
///         try await RedisNewsCache(url: url, keyPrefix: environment.namespace) }]
/// } ?? []
/// ```
///
/// A factory builds a fresh, empty instance per test: use `environment.namespace` to keep tests
/// apart on a shared server, `environment.onTeardown` to close clients, `timeSource: .server` when
/// the server keeps time, and `peer:` to open a second client on the same data.
enum PortFactories {
    /// Visibility timeout given to job queues under test; lease tests advance past it.
    static let visibilityTimeout: Duration = .seconds(2)

    static let subscriberStores: [PortFactory<any SubscriberStore>] = [
        PortFactory("memory") { _ in MemorySubscriberStore() },
        PortFactory("sqlite", make: { environment in
            SQLiteSubscriberStore(database: try await sqlite(environment), clock: environment.clock)
        }, peer: { environment, _ in
            SQLiteSubscriberStore(database: try await sqlite(environment), clock: environment.clock)
        }),
    ] + postgresSubscriberStores

    static let conversationStateStores: [PortFactory<any ConversationStateStore>] = [
        PortFactory("memory") { environment in MemoryConversationStateStore(clock: environment.clock) },
        PortFactory("sqlite", make: { environment in
            SQLiteConversationStateStore(database: try await sqlite(environment), clock: environment.clock)
        }, peer: { environment, _ in
            SQLiteConversationStateStore(database: try await sqlite(environment), clock: environment.clock)
        }),
    ] + redisConversationStateStores

    static let jobQueues: [PortFactory<any JobQueue>] = [
        PortFactory("memory", capabilities: [.leaseExpiry]) { environment in
            MemoryJobQueue(clock: environment.clock, visibilityTimeout: visibilityTimeout)
        },
        PortFactory("sqlite", capabilities: [.leaseExpiry], make: { environment in
            SQLiteJobQueue(database: try await sqlite(environment),
                           configuration: .init(visibilityTimeout: visibilityTimeout), clock: environment.clock)
        }, peer: { environment, _ in
            SQLiteJobQueue(database: try await sqlite(environment),
                           configuration: .init(visibilityTimeout: visibilityTimeout), clock: environment.clock)
        }),
    ] + rabbitMQJobQueues

    static let newsCaches: [PortFactory<any NewsCache>] = [
        PortFactory("memory") { environment in MemoryNewsCache(clock: environment.clock) },
        PortFactory("sqlite", make: { environment in
            SQLiteNewsCache(database: try await sqlite(environment), clock: environment.clock)
        }, peer: { environment, _ in
            SQLiteNewsCache(database: try await sqlite(environment), clock: environment.clock)
        }),
    ] + redisNewsCaches

    /// The embedded limiter is in-process only; Redis shares one budget between processes.
    static let rateLimiters: [PortFactory<any RateLimiter>] = [
        PortFactory("memory") { environment in MemoryRateLimiter(clock: environment.clock) },
    ] + redisRateLimiters

    static let leaderLocks: [PortFactory<any LeaderLock>] = [
        PortFactory("memory") { environment in MemoryLeaderLock(clock: environment.clock) },
        PortFactory("sqlite", make: { environment in
            SQLiteLeaderLock(database: try await sqlite(environment), clock: environment.clock)
        }, peer: { environment, _ in
            SQLiteLeaderLock(database: try await sqlite(environment), clock: environment.clock)
        }),
    ] + redisLeaderLocks

    // MARK: backends

    /// A new handle on this test's SQLite file (created and migrated by the first): a file, not
    /// `:memory:`, so WAL and several handles — several processes' view — are exercised.
    static func sqlite(_ environment: ContractEnvironment) async throws -> SQLiteDatabase {
        let path = try environment.temporaryDirectory().appendingPathComponent("newsbot.sqlite").path
        let database = try await SQLiteDatabase.open(.file(path))
        environment.onTeardown { await database.close() }
        return database
    }
}
