import Core
import Synchronization

/// Coalesces concurrent one-subscriber reads (`subscriber(id:)`, one per chat update) into
/// `WHERE id = ANY(…)` queries. A one-row query costs the client (PostgresNIO) and the server
/// about as much as a query for a few hundred rows, and under load it was the chat front's
/// largest CPU cost.
///
/// A read starts its query at once while fewer than `maxInFlight` queries are running (no added
/// latency when idle). Reads arriving while the limit is reached queue up, and when a query
/// finishes the queued reads go together, up to `maxBatch` ids a query, in a task of their own
/// (so no caller's cancellation cancels the others' query). Every caller gets its own row or nil;
/// when a query fails, every caller in it gets the error. A queued caller that is cancelled still
/// waits for its batch (one query's time) and gets its result. A read is only ever answered by a
/// query started after it was called, so it sees every write committed before (read-your-writes).
final class PostgresSubscriberReadBatcher: Sendable {
    /// Runs one query for `ids` (unique, never empty): each found subscriber's row, or the error
    /// turning that row into a `Subscriber` threw.
    typealias Fetch = @Sendable (_ ids: [Int64]) async throws -> [Int64: Result<Subscriber, any Error>]

    /// Counters for tests and diagnostics.
    struct Statistics: Sendable, Equatable {
        /// `subscriber(id:)` calls.
        var reads = 0
        /// Queries issued (a read that started its own query counts as one).
        var queries = 0
        /// Reads waiting for a query now.
        var queued = 0
        /// Queries running now.
        var inFlight = 0
    }

    let maxInFlight: Int
    let maxBatch: Int
    private let fetch: Fetch
    private let state = Mutex(State())

    /// - Parameter maxInFlight: 1 by default: under load, one query at a time gathers twice the
    ///   reads per query, and the chat front's load test took ~12 % less PostgreSQL CPU for it.
    init(maxInFlight: Int = 1, maxBatch: Int = 256, fetch: @escaping Fetch) {
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
        self.fetch = fetch
    }

    var statistics: Statistics {
        state.withLock { state in
            Statistics(reads: state.reads, queries: state.queries, queued: state.queued.count, inFlight: state.inFlight)
        }
    }

    func subscriber(id: Int64) async throws -> Subscriber? {
        let direct = state.withLock { state in
            state.reads += 1
            // Queued reads exist only while every slot is taken (see `finish`).
            guard state.inFlight < maxInFlight else { return false }
            state.inFlight += 1
            state.queries += 1
            return true
        }
        if direct {
            // The caller's own task runs the query: its cancellation concerns it alone.
            let outcome: Result<Subscriber?, any Error>
            do {
                outcome = .success(try Self.row(for: id, in: try await fetch([id])))
            } catch {
                outcome = .failure(error)
            }
            if let next = state.withLock({ $0.finish(maxBatch: maxBatch) }) {
                Task { await self.run(next) }
            }
            return try outcome.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            // A slot may have freed since the check above: then this read starts a batch itself.
            let batch = state.withLock { state -> [Waiter]? in
                state.queued.append(Waiter(id: id, continuation: continuation))
                guard state.inFlight < maxInFlight else { return nil }
                return state.start(maxBatch: maxBatch)
            }
            if let batch { Task { await self.run(batch) } }
        }
    }

    /// Answers `batch`, then the reads queued meanwhile, until none are left or another query
    /// takes them.
    private func run(_ batch: [Waiter]) async {
        var batch = batch
        while true {
            await answer(batch)
            guard let next = state.withLock({ $0.finish(maxBatch: maxBatch) }) else { return }
            batch = next
        }
    }

    private func answer(_ batch: [Waiter]) async {
        var seen = Set<Int64>()
        let ids = batch.map(\.id).filter { seen.insert($0).inserted }
        do {
            let rows = try await fetch(ids)
            for waiter in batch {
                waiter.continuation.resume(with: Result { try Self.row(for: waiter.id, in: rows) })
            }
        } catch {
            for waiter in batch { waiter.continuation.resume(throwing: error) }
        }
    }

    private static func row(for id: Int64, in rows: [Int64: Result<Subscriber, any Error>]) throws -> Subscriber? {
        try rows[id]?.get()
    }

    private struct Waiter: Sendable {
        let id: Int64
        let continuation: CheckedContinuation<Subscriber?, any Error>
    }

    private struct State: ~Copyable {
        var inFlight = 0
        var queued: [Waiter] = []
        var reads = 0
        var queries = 0

        /// Takes up to `maxBatch` queued reads for a new query.
        mutating func start(maxBatch: Int) -> [Waiter] {
            let count = min(maxBatch, queued.count)
            let batch = Array(queued.prefix(count))
            queued.removeFirst(count)
            inFlight += 1
            queries += 1
            return batch
        }

        /// A query finished: its slot goes to the queued reads, if any.
        mutating func finish(maxBatch: Int) -> [Waiter]? {
            inFlight -= 1
            return queued.isEmpty ? nil : start(maxBatch: maxBatch)
        }
    }
}
