import Core
import Foundation
import RedisBackend

extension PortFactories {
    /// The Redis implementations, when `NEWSBOT_TEST_REDIS_URL` is set. Every test gets its own
    /// key prefix (its namespace) on the shared server; the peer is a second client on the same
    /// prefix, as another process would be. TTLs are Redis' own, so those ports run in real time;
    /// the rate limiter takes the injected clock (its script accepts "now" from the caller).
    static var redisConversationStateStores: [PortFactory<any ConversationStateStore>] {
        redis(timeSource: .server) { client, prefix, _ in RedisStateStore(client: client, keyPrefix: prefix) }
    }

    static var redisNewsCaches: [PortFactory<any NewsCache>] {
        redis(timeSource: .server) { client, prefix, _ in RedisNewsCache(client: client, keyPrefix: prefix) }
    }

    static var redisRateLimiters: [PortFactory<any RateLimiter>] {
        redis(timeSource: .injectedClock) { client, prefix, environment in
            RedisRateLimiter(client: client, keyPrefix: prefix, clock: environment.clock)
        }
    }

    static var redisLeaderLocks: [PortFactory<any LeaderLock>] {
        redis(timeSource: .server) { client, prefix, _ in RedisLeaderLock(client: client, keyPrefix: prefix) }
    }

    /// One "redis" factory (none without the URL) whose port and peer each get a client of their
    /// own, closed at teardown.
    private static func redis<Port: Sendable>(
        timeSource: PortFactory<Port>.TimeSource,
        _ build: @escaping @Sendable (RedisClient, String, ContractEnvironment) -> Port
    ) -> [PortFactory<Port>] {
        guard let url = ContractServers.redisURL else { return [] }
        let make: @Sendable (ContractEnvironment) throws -> Port = { environment in
            var configuration = try RedisConfiguration(url: url)
            configuration.poolSize = 2
            let client = try RedisClient(configuration: configuration)
            environment.onTeardown { client.close() }
            return build(client, environment.namespace + ":", environment)
        }
        return [PortFactory("redis", timeSource: timeSource, make: { try make($0) }, peer: { environment, _ in try make(environment) })]
    }
}
