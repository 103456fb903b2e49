import Logging
import NIOCore
import Synchronization

/// Spreads commands over the connection slots. A caller running on an event loop takes a slot of
/// that loop (an idle one if it has several), so the command is written and its reply read and
/// handed back on the caller's own thread. Any other caller takes an idle slot when there is one
/// (the command goes out at once), otherwise the next slot in turn, where it joins that
/// connection's pipeline. Nothing waits for a slot to be free, so there is no queue here to
/// cancel or to starve.
final class RedisConnectionPool: Sendable {
    let slots: [RedisConnectionSlot]
    private let next = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)

    /// `configuration.poolSize` slots over `loops`, taken in order, so every loop gets one when
    /// there are enough.
    init(configuration: RedisConfiguration, loops: [any EventLoop], logger: Logger) {
        precondition(configuration.poolSize >= 1 && !loops.isEmpty, "a Redis pool needs at least one connection and loop")
        slots = (0..<configuration.poolSize).map {
            RedisConnectionSlot(index: $0, configuration: configuration, eventLoop: loops[$0 % loops.count], logger: logger)
        }
    }

    /// Runs one command on some connection.
    func run(_ command: RedisCommand) async throws -> RedisValue {
        guard !closed.load(ordering: .acquiring) else { throw RedisError.clientIsClosed }
        return try await pick().run(command)
    }

    /// Closes the slots; commands still waiting for a reply and later ones fail with `.clientClosed`.
    func close() {
        closed.store(true, ordering: .releasing)
        for slot in slots { slot.close() }
    }

    func pick() -> RedisConnectionSlot {
        var local: RedisConnectionSlot?
        for slot in slots where slot.eventLoop.inEventLoop {
            if !slot.isBusy { return slot }
            local = local ?? slot
        }
        if let local { return local }
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
        for offset in 0..<slots.count {
            let slot = slots[(start &+ offset) % slots.count]
            if !slot.isBusy { return slot }
        }
        return slots[start % slots.count]
    }
}
