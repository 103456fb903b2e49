import Synchronization

/// Hands out connection slots one command at a time: a free slot at once, otherwise the
/// caller waits (FIFO) for the next slot released. A waiting task that is cancelled stops
/// waiting with `CancellationError`.
final class RedisConnectionPool: Sendable {
    private struct State {
        var free: [RedisConnectionSlot]
        var waiters: [(id: UInt64, continuation: CheckedContinuation<RedisConnectionSlot, any Error>)] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    let slots: [RedisConnectionSlot]
    private let state: Mutex<State>

    init(slots: [RedisConnectionSlot]) {
        self.slots = slots
        self.state = Mutex(State(free: slots.reversed()))
    }

    /// Runs `body` with a slot held exclusively, then gives the slot back.
    func withSlot<R: Sendable>(_ body: (RedisConnectionSlot) async throws -> R) async throws -> R {
        let slot = try await acquire()
        defer { release(slot) }
        return try await body(slot)
    }

    /// Fails every waiter and every later acquire with `.clientClosed`, closes the slots.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: RedisError(.clientClosed, "the Redis client is closed"))
        }
        for slot in slots { slot.close() }
    }

    private func acquire() async throws -> RedisConnectionSlot {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisConnectionSlot, any Error>) in
                enum Outcome { case slot(RedisConnectionSlot), closed, cancelled, waiting }
                let outcome: Outcome = state.withLock { state in
                    if state.closed { return .closed }
                    if let slot = state.free.popLast() { return .slot(slot) }
                    if Task.isCancelled { return .cancelled }
                    state.waiters.append((id, continuation))
                    return .waiting
                }
                switch outcome {
                case .slot(let slot): continuation.resume(returning: slot)
                case .closed: continuation.resume(throwing: RedisError(.clientClosed, "the Redis client is closed"))
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<RedisConnectionSlot, any Error>? in
                guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: position).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func release(_ slot: RedisConnectionSlot) {
        let waiter = state.withLock { state -> CheckedContinuation<RedisConnectionSlot, any Error>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.free.append(slot)
            return nil
        }
        waiter?.resume(returning: slot)
    }
}
