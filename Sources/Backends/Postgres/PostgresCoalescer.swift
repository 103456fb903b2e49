import Core
import Synchronization

/// Coalesces concurrent one-item requests into batched calls: a call costs the client
/// (PostgresNIO) and the server about as much for a few hundred rows as for one, so under load
/// one statement for many requests is the cheapest way through. Used for subscriber reads by id
/// (`PostgresSubscriberReadBatcher`) and single-subscriber writes (`PostgresSubscriberStore.upsert`).
///
/// A request starts its call at once while fewer than `maxInFlight` calls are running (no added
/// latency when idle). Requests arriving while the limit is reached queue up, and when a call
/// finishes the queued ones go together, up to `maxBatch` a call, in a task of their own (so no
/// caller's cancellation cancels the others' call). Every caller gets its own result. A queued
/// caller that is cancelled still waits for its batch (one call's time) and gets its result. A
/// request is only ever answered by a call started after it was made, so a read sees every write
/// committed before it, and a write has committed when its caller returns.
final class PostgresCoalescer<Item: Sendable, Output: Sendable>: Sendable {
    /// One call for `items` (never empty): a result per item, in the same order.
    typealias Perform = @Sendable (_ items: [Item]) async -> [Result<Output, any Error>]

    /// Counters for tests and diagnostics.
    struct Statistics: Sendable, Equatable {
        /// `submit` calls.
        var requests = 0
        /// Calls made (a request that started its own call counts as one).
        var calls = 0
        /// Requests waiting for a call now.
        var queued = 0
        /// Calls running now.
        var inFlight = 0
    }

    let maxInFlight: Int
    let maxBatch: Int
    private let perform: Perform
    private let state = Mutex(State())

    init(maxInFlight: Int, maxBatch: Int, perform: @escaping Perform) {
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
        self.perform = perform
    }

    var statistics: Statistics {
        state.withLock { state in
            Statistics(requests: state.requests, calls: state.calls, queued: state.queued.count, inFlight: state.inFlight)
        }
    }

    func submit(_ item: Item) async throws -> Output {
        let direct = state.withLock { state in
            state.requests += 1
            // Queued requests exist only while every slot is taken (see `finish`).
            guard state.inFlight < maxInFlight else { return false }
            state.inFlight += 1
            state.calls += 1
            return true
        }
        if direct {
            // The caller's own task makes the call: its cancellation concerns it alone.
            let outcome = await Self.only(perform([item]))
            if let next = state.withLock({ $0.finish(maxBatch: maxBatch) }) {
                Task { await self.run(next) }
            }
            return try outcome.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            // A slot may have freed since the check above: then this request starts a batch itself.
            let batch = state.withLock { state -> [Waiter]? in
                state.queued.append(Waiter(item: item, continuation: continuation))
                guard state.inFlight < maxInFlight else { return nil }
                return state.start(maxBatch: maxBatch)
            }
            if let batch { Task { await self.run(batch) } }
        }
    }

    /// Answers `batch`, then the requests queued meanwhile, until none are left or another call
    /// takes them.
    private func run(_ batch: [Waiter]) async {
        var batch = batch
        while true {
            let results = await perform(batch.map { $0.item })
            for (index, waiter) in batch.enumerated() {
                waiter.continuation.resume(with: index < results.count ? results[index] : .failure(Self.missing))
            }
            guard let next = state.withLock({ $0.finish(maxBatch: maxBatch) }) else { return }
            batch = next
        }
    }

    private static func only(_ results: [Result<Output, any Error>]) -> Result<Output, any Error> {
        results.first ?? .failure(missing)
    }

    /// `perform` answered fewer results than items: a bug, reported to the callers left out.
    private static var missing: any Error {
        NewsbotError(.storage, "postgres: a batched call answered fewer results than requests")
    }

    private struct Waiter: Sendable {
        let item: Item
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State: ~Copyable {
        var inFlight = 0
        var queued: [Waiter] = []
        var requests = 0
        var calls = 0

        /// Takes up to `maxBatch` queued requests for a new call.
        mutating func start(maxBatch: Int) -> [Waiter] {
            let count = min(maxBatch, queued.count)
            let batch = Array(queued.prefix(count))
            queued.removeFirst(count)
            inFlight += 1
            calls += 1
            return batch
        }

        /// A call finished: its slot goes to the queued requests, if any.
        mutating func finish(maxBatch: Int) -> [Waiter]? {
            inFlight -= 1
            return queued.isEmpty ? nil : start(maxBatch: maxBatch)
        }
    }
}
