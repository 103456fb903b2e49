import Logging
import NIOCore
import NIOPosix
import Testing
@testable import RedisBackend

/// How the pool picks a connection; nothing connects here (a slot connects on its first command).
@Suite struct RedisConnectionPoolTests {
    /// Four slots over the group's two loops.
    private static func pool(on group: MultiThreadedEventLoopGroup, port: Int = 1) -> (RedisConnectionPool, [any EventLoop]) {
        let loops = Array(group.makeIterator())
        let configuration = RedisConfiguration(port: port, connectTimeout: .seconds(5), commandTimeout: .seconds(30), poolSize: 4)
        return (RedisConnectionPool(configuration: configuration, loops: loops, logger: Logger(label: "test")), loops)
    }

    /// A command issued on an event loop (the chat front's update tasks run on their webhook
    /// connection's loop) goes out on a connection of that loop, so its reply resumes it there.
    @Test func aCallerOnAnEventLoopGetsASlotOfThatLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (pool, loops) = Self.pool(on: group)
        for loop in loops {
            for _ in 0..<4 {
                let picked = try await loop.submit { pool.pick() }.get()
                #expect(picked.eventLoop === loop)
            }
        }
        pool.close()
        try await group.shutdownGracefully()
    }

    /// With several slots on its loop, a caller takes an idle one rather than join a busy pipeline.
    @Test func aCallerOnAnEventLoopPrefersAnIdleSlotOfThatLoop() async throws {
        let server = try await ScriptedRedisServer { _, _ in .silence }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (pool, loops) = Self.pool(on: group, port: server.port)
        // Slot 0 (on the first loop) waits for a reply that never comes; slot 2 shares its loop.
        let waiting = Task { try await pool.slots[0].run(RedisCommand([.string("PING")])) }
        let deadline = ContinuousClock.now + .seconds(10)
        while !pool.slots[0].isBusy, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        try #require(pool.slots[0].isBusy)
        for _ in 0..<4 {
            let picked = try await loops[0].submit { pool.pick() }.get()
            #expect(picked.index == 2)
        }
        pool.close()
        _ = try? await waiting.value
        try await server.stop()
        try await group.shutdownGracefully()
    }

    /// Any other caller is spread over every idle slot in turn.
    @Test func otherCallersAreSpreadOverTheSlots() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (pool, _) = Self.pool(on: group)
        let picked = Set((0..<4).map { _ in pool.pick().index })
        #expect(picked == [0, 1, 2, 3])
        pool.close()
        try await group.shutdownGracefully()
    }

    /// By default every loop of NIO's shared group has a connection of its own.
    @Test func theDefaultPoolHasAConnectionOnEveryLoop() throws {
        #expect(RedisConfiguration().poolSize == NIOSingletons.groupLoopCountSuggestion)
        let client = try RedisClient(configuration: RedisConfiguration(port: 1))
        let covered = client.pool.slots.map(\.eventLoop)
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            #expect(covered.contains { $0 === loop })
        }
        client.close()
    }
}
