import Core
@testable import PostgresBackend
import Synchronization
import Testing

/// The coalescing of `subscriber(id:)` reads with a scripted query in place of PostgreSQL
/// (no servers needed): queries held open by a gate make every interleaving deterministic.
/// PostgresSubscriberReadsTests runs the same against the real store.
@Suite("subscriber read batcher")
struct PostgresSubscriberReadBatcherTests {
    /// A one-shot latch: `wait()` returns once `open()` was called.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiters.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    struct Failure: Error, Equatable { let batch: [Int64] }

    /// A fake table: positive ids exist (chat id = 10 × id) except 13, whose row cannot be
    /// decoded; the others are missing. Every query waits for `gate`; `failing` makes queries of
    /// more than one id throw.
    final class FakeTable: Sendable {
        let gate = Gate()
        let failing: Bool
        private let calls = Mutex<[[Int64]]>([])

        init(failing: Bool = false) { self.failing = failing }

        var queries: [[Int64]] { calls.withLock { $0 } }

        func fetch(_ ids: [Int64]) async throws -> [Int64: Result<Subscriber, any Error>] {
            calls.withLock { $0.append(ids) }
            await gate.wait()
            if failing && ids.count > 1 { throw Failure(batch: ids) }
            var rows: [Int64: Result<Subscriber, any Error>] = [:]
            for id in ids where id > 0 {
                rows[id] = id == 13 ? .failure(NewsbotError(.storage, "bad row \(id)")) : .success(Self.row(id))
            }
            return rows
        }

        static func row(_ id: Int64) -> Subscriber { Subscriber(id: id, chatID: id * 10) }
        static func expected(_ id: Int64) -> Subscriber? { id > 0 ? row(id) : nil }
    }

    static func batcher(_ table: FakeTable, maxInFlight: Int = 2, maxBatch: Int = 4) -> PostgresSubscriberReadBatcher {
        PostgresSubscriberReadBatcher(maxInFlight: maxInFlight, maxBatch: maxBatch) { ids in try await table.fetch(ids) }
    }

    /// Starts a read per id in its own task and waits until the batcher holds them all
    /// (`maxInFlight` running, the rest queued).
    static func start(_ ids: [Int64], on batcher: PostgresSubscriberReadBatcher)
        async throws -> [Task<Subscriber?, any Error>] {
        var tasks: [Task<Subscriber?, any Error>] = []
        for id in ids {
            tasks.append(Task { try await batcher.subscriber(id: id) })
            // One at a time: the order of arrival, and so the batches, is then known.
            let arrived = tasks.count
            let held = try await PostgresTestEnvironment.eventually(within: .seconds(30)) {
                let statistics = batcher.statistics
                return statistics.inFlight + statistics.queued == arrived
            }
            try #require(held, "read \(arrived) never reached the batcher")
        }
        return tasks
    }

    @Test func idleReadsQueryAtOnceAndQueuedReadsShareQueries() async throws {
        let table = FakeTable()
        let batcher = Self.batcher(table)
        // 2 run at once; the 9 queued go 4 + 4 + 1 in order of arrival, duplicates and missing ids included.
        let ids: [Int64] = [1, 2, 3, 4, 3, 0, 5, -7, 3, 6, 7]
        let tasks = try await Self.start(ids, on: batcher)
        #expect(table.queries == [[1], [2]])
        #expect(batcher.statistics == .init(reads: 11, queries: 2, queued: 9, inFlight: 2))
        table.gate.open()
        for (id, task) in zip(ids, tasks) {
            #expect(try await task.value == FakeTable.expected(id), "id \(id)")
        }
        // Each queued query holds unique ids, in order of arrival.
        #expect(table.queries.dropFirst(2).sorted { $0.first! < $1.first! } == [[3, 4, 0], [5, -7, 3, 6], [7]])
        #expect(batcher.statistics == .init(reads: 11, queries: 5, queued: 0, inFlight: 0))

        // Idle again: the next read queries at once, alone.
        #expect(try await batcher.subscriber(id: 9) == FakeTable.row(9))
        #expect(table.queries.last == [9])
    }

    @Test func aFailedQueryFailsEveryCallerInItAndOnlyThem() async throws {
        let table = FakeTable(failing: true)
        let batcher = Self.batcher(table, maxBatch: 256)
        let ids: [Int64] = [1, 2, 3, 4, 4, 0]
        let tasks = try await Self.start(ids, on: batcher)
        table.gate.open()
        // The two reads that queried alone succeed; the batch of the other four fails for all.
        #expect(try await tasks[0].value == FakeTable.row(1))
        #expect(try await tasks[1].value == FakeTable.row(2))
        for task in tasks[2...] {
            await #expect(throws: Failure(batch: [3, 4, 0])) { try await task.value }
        }
        #expect(batcher.statistics == .init(reads: 6, queries: 3, queued: 0, inFlight: 0))
    }

    @Test func aRowThatCannotBeDecodedFailsOnlyItsReaders() async throws {
        let table = FakeTable()
        let batcher = Self.batcher(table)
        let ids: [Int64] = [1, 2, 12, 13, 14, 13]
        let tasks = try await Self.start(ids, on: batcher)
        table.gate.open()
        for (id, task) in zip(ids, tasks) {
            if id == 13 {
                await #expect(throws: NewsbotError.self) { try await task.value }
            } else {
                #expect(try await task.value == FakeTable.expected(id))
            }
        }
    }

    @Test func cancellingAQueuedReadFailsNoOtherRead() async throws {
        let table = FakeTable()
        let batcher = Self.batcher(table)
        let ids: [Int64] = [1, 2, 3, 4, 5]
        let tasks = try await Self.start(ids, on: batcher)
        tasks[3].cancel()
        table.gate.open()
        // The cancelled read still waits for its batch and gets its row; nobody else notices.
        for (id, task) in zip(ids, tasks) {
            #expect(try await task.value == FakeTable.row(id))
        }
        #expect(batcher.statistics.queries == 3)
    }

    @Test func aCancelledRunningReadStillHandsItsSlotToTheQueue() async throws {
        let gate = Gate()
        let batcher = PostgresSubscriberReadBatcher(maxInFlight: 1, maxBatch: 256) { ids in
            if ids == [1] {
                // The first read's query gives up when its task is cancelled, like PostgresNIO's.
                while !Task.isCancelled { try await Task.sleep(for: .milliseconds(5)) }
                throw CancellationError()
            }
            await gate.wait()
            return Dictionary(uniqueKeysWithValues: ids.map { ($0, .success(FakeTable.row($0))) })
        }
        let tasks = try await Self.start([1, 2, 3], on: batcher)
        tasks[0].cancel()
        await #expect(throws: CancellationError.self) { try await tasks[0].value }
        gate.open()
        #expect(try await tasks[1].value == FakeTable.row(2))
        #expect(try await tasks[2].value == FakeTable.row(3))
        #expect(batcher.statistics == .init(reads: 3, queries: 2, queued: 0, inFlight: 0))
    }

    @Test func manyConcurrentReadsEachGetTheirOwnRow() async throws {
        let table = FakeTable()
        table.gate.open()
        let batcher = Self.batcher(table, maxBatch: 256)
        let ids = (0..<2_000).map { Int64($0 % 700) - 100 }.filter { $0 != 13 }
        let results = try await withThrowingTaskGroup(of: (Int, Subscriber?).self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask { (index, try await batcher.subscriber(id: id)) }
            }
            var results = [Subscriber?](repeating: nil, count: ids.count)
            for try await (index, subscriber) in group { results[index] = subscriber }
            return results
        }
        #expect(results == ids.map { FakeTable.expected($0) })
        #expect(batcher.statistics.reads == ids.count)
        #expect(batcher.statistics.queued == 0 && batcher.statistics.inFlight == 0)
    }
}
