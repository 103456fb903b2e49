import Core
import Logging
import PostgresBackend
import RabbitMQBackend
import RedisBackend
import SQLiteBackend
import ServiceLifecycle

/// The ports of one process, built from configuration: embedded SQLite unless a server URL
/// selects PostgreSQL, Redis or RabbitMQ. Switching a backend is configuration, never code.
struct Runtime: Sendable {
    let store: any SubscriberStore
    let queue: any JobQueue
    let newsCache: any NewsCache
    let conversations: any ConversationStateStore
    let limiter: any RateLimiter
    let leaderLock: any LeaderLock
    /// Clients that must run while the ports are used (connection pools): started before the
    /// work, stopped after it.
    let services: [any Service]
    /// One check per backend for `/readyz`, named for the operator.
    let readiness: [ReadinessCheck]
    /// Which backend serves each port, for logs and `pipeline status`.
    let description: String

    static func build(_ configuration: AppConfiguration, clock: any NewsbotClock = SystemClock(),
                      logger: Logger) async throws -> Runtime {
        var services: [any Service] = []
        var readiness: [ReadinessCheck] = []
        var parts: [String] = []

        // Embedded pieces open lazily: only when some port still needs SQLite.
        var embeddedCache: SQLiteEmbedded?
        func embedded() async throws -> SQLiteEmbedded {
            if let embeddedCache { return embeddedCache }
            let path = configuration.sqlitePath ?? "./var/newsbot.sqlite"
            let opened = try await SQLiteEmbedded.open(url: "sqlite:" + path, clock: clock)
            embeddedCache = opened
            readiness.append(ReadinessCheck(name: "sqlite") { _ = try await opened.subscribers.subscriberCount() })
            return opened
        }

        let store: any SubscriberStore
        if configuration.sqlitePath == nil {
            let postgres = try PostgresConfiguration(
                databaseURL: configuration.databaseURL.value,
                readURLs: configuration.databaseReadURLs.map(\.value).joined(separator: ","))
            let cluster = PostgresCluster(configuration: postgres, logger: logger)
            services.append(cluster)
            readiness.append(ReadinessCheck(name: "postgres") { try await cluster.checkPrimary() })
            store = PostgresSubscriberStore(cluster: cluster)
            parts.append("store=postgres(\(postgres.replicas.count) replicas)")
        } else {
            store = try await embedded().subscribers
            parts.append("store=sqlite")
        }

        let queue: any JobQueue
        if let amqpURL = configuration.amqpURL {
            // Connects on first use and reconnects by itself; an unreachable broker shows in /readyz.
            let rabbitMQ = try RabbitMQJobQueue(url: amqpURL.value, logger: logger)
            readiness.append(ReadinessCheck(name: "rabbitmq") { try await rabbitMQ.checkConnection() })
            queue = rabbitMQ
            parts.append("queue=rabbitmq")
        } else {
            queue = try await embedded().jobs
            parts.append("queue=sqlite")
        }

        let newsCache: any NewsCache, conversations: any ConversationStateStore
        let limiter: any RateLimiter, leaderLock: any LeaderLock
        if let redisURL = configuration.redisURL {
            let client = try RedisClient(url: redisURL.value, logger: logger)
            readiness.append(ReadinessCheck(name: "redis") { try await client.ping() })
            newsCache = RedisNewsCache(client: client)
            let redisLimiter = RedisRateLimiter(client: client)
            conversations = RedisStateStore(client: client, limiter: redisLimiter)
            limiter = redisLimiter
            leaderLock = RedisLeaderLock(client: client)
            parts.append("state/cache/locks/limiter=redis")
        } else {
            let local = try await embedded()
            newsCache = local.newsCache
            conversations = local.conversations
            limiter = MemoryRateLimiter(clock: clock)
            leaderLock = local.leaderLock
            parts.append("state/cache/locks=sqlite limiter=in-process")
        }

        return Runtime(
            store: store, queue: queue, newsCache: newsCache, conversations: conversations,
            limiter: limiter, leaderLock: leaderLock,
            services: services, readiness: readiness, description: parts.joined(separator: " "))
    }

    /// Runs `body` while the backend services run; stops them afterwards, also on error.
    func withServices<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard !services.isEmpty else { return try await body() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services {
                group.addTask { try await service.run() }
            }
            do {
                let result = try await body()
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
