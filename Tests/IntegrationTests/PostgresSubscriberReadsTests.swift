import Core
import Foundation
@testable import PostgresBackend
import PostgresNIO
import Synchronization
import Testing

extension PostgresServerTests {
    /// `subscriber(id:)` under concurrency on the real store: reads that arrive while queries
    /// run share one query (PostgresSubscriberReadBatcher), each still gets its own
    /// row, and a failed query reaches every reader in it. To make "arrive while queries run"
    /// deterministic, a psql session holds `LOCK TABLE subscribers` until the test lets it go.
    @Suite("subscriber reads")
    struct SubscriberReadsTests {
        typealias Env = PostgresTestEnvironment
        typealias Outcome = Result<Subscriber?, any Error>

        static let zones = ["Europe/Berlin", "Asia/Tokyo", "America/New_York"]

        /// Subscribers 1…300, all fields varied.
        static let stored: [Subscriber] = (1...Int64(300)).map { id in
            Subscriber(id: id, chatID: id * 1_000 + 7, language: id % 2 == 0 ? .ru : .en,
                       timeZone: id % 5 == 0 ? nil : zones[Int(id) % zones.count],
                       status: id % 7 == 0 ? .paused : .active,
                       slots: [Slot(hour: Int(id % 24), minute: 0)!],
                       topics: [Topic("topic \(id % 11)")!])
        }

        /// 500 reads over ids 1…450 (151…450 missing, 50 read twice) with every tenth read of
        /// subscriber 7, so one query certainly carries the same id more than once.
        static let readIDs: [Int64] = (0..<500).map { $0 % 10 == 0 ? 7 : Int64(($0 * 37) % 450) + 1 }

        static func expected(_ id: Int64) -> Subscriber? { id <= 300 ? stored[Int(id) - 1] : nil }

        final class Box: Sendable {
            let results = Mutex<[Outcome]?>(nil)
        }

        /// Starts one task per id, all at once, in a task of their own; the box fills when every
        /// read has finished.
        static func startReads(_ ids: [Int64], on store: PostgresSubscriberStore) -> Box {
            let box = Box()
            Task {
                let results = await withTaskGroup(of: (Int, Outcome).self) { group in
                    for (index, id) in ids.enumerated() {
                        group.addTask {
                            do { return (index, .success(try await store.subscriber(id: id))) } catch { return (index, .failure(error)) }
                        }
                    }
                    var results = [Outcome](repeating: .success(nil), count: ids.count)
                    for await (index, outcome) in group { results[index] = outcome }
                    return results
                }
                box.results.withLock { $0 = results }
            }
            return box
        }

        /// The reads' outcomes, or a recorded failure when they do not all finish within a
        /// generous bound (a hang guard, not a timing assertion).
        static func finished(_ box: Box, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Outcome] {
            _ = try await Env.eventually(within: .seconds(120)) { box.results.withLock { $0 != nil } }
            return try #require(box.results.withLock { $0 }, "reads still waiting after 120 s", sourceLocation: sourceLocation)
        }

        static func check(_ outcomes: [Outcome], for ids: [Int64]) {
            #expect(outcomes.count == ids.count)
            for (id, outcome) in zip(ids, outcomes) {
                switch outcome {
                case .success(let subscriber): #expect(subscriber == expected(id), "subscriber \(id)")
                case .failure(let error): Issue.record(error, "subscriber \(id)")
                }
            }
        }

        /// Runs `body` while a psql session holds an exclusive lock on `subscribers` (so every
        /// query of it waits), then runs `thenSQL` in that session's transaction and commits.
        static func withSubscribersLocked<T>(schema: String, thenSQL: String = "", _ body: () async throws -> T) async throws -> T {
            let url = try #require(Env.databaseURL)
            try await Env.psql(url, "CREATE TABLE \"\(schema)\".read_test_release (done bool)")
            let holder = Task {
                try await Env.psql(url, """
                    SET search_path TO "\(schema)";
                    BEGIN;
                    LOCK TABLE subscribers IN ACCESS EXCLUSIVE MODE;
                    DO $$ BEGIN WHILE NOT EXISTS (SELECT FROM read_test_release) LOOP PERFORM pg_sleep(0.01); END LOOP; END $$;
                    \(thenSQL)
                    COMMIT;
                    """)
            }
            func release() async throws {
                try await Env.psql(url, "INSERT INTO \"\(schema)\".read_test_release VALUES (true)")
                _ = try await holder.value
            }
            do {
                let locked = try await Env.eventually(within: .seconds(60)) {
                    try await Env.psql(url, """
                        SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = '\(schema)' AND c.relname = 'subscribers'
                          AND l.mode = 'AccessExclusiveLock' AND l.granted
                        """) == "1"
                }
                try #require(locked, "the psql session never locked subscribers")
                let result = try await body()
                try await release()
                return result
            } catch {
                try? await release()
                throw error
            }
        }

        /// Waits until `count` reads have reached the batcher: `maxInFlight` querying (blocked
        /// by the lock), the rest queued.
        static func waitUntilHeld(_ count: Int, by batcher: PostgresSubscriberReadBatcher) async throws {
            let held = try await Env.eventually(within: .seconds(60)) {
                let statistics = batcher.statistics
                return statistics.inFlight == batcher.maxInFlight && statistics.queued == count - batcher.maxInFlight
            }
            try #require(held, "reads never queued up: \(batcher.statistics)")
        }

        @Test func concurrentReadsEachGetTheirOwnRowOrNil() async throws {
            try await Env.withCluster(replicas: false) { cluster in
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert(Self.stored)
                let before = store.subscriberReads.statistics
                let outcomes = try await Self.finished(Self.startReads(Self.readIDs, on: store))
                Self.check(outcomes, for: Self.readIDs)
                let after = store.subscriberReads.statistics
                #expect(after.reads - before.reads == Self.readIDs.count)
                #expect(after.queued == 0 && after.inFlight == 0)
                print("postgres subscriber reads: \(Self.readIDs.count) concurrent reads in \(after.queries - before.queries) queries")
            }
        }

        /// A batch reads by primary key also on a table the planner has no statistics for (a new
        /// install): at 1,000 subscribers, `s.id = ANY(…)` with the bound array was a sequential scan.
        @Test func aBatchReadsByIndexOnATableWithoutStatistics() async throws {
            try await Env.withCluster(replicas: false) { cluster in
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert((1...Int64(1_000)).map { id in
                    Subscriber(id: id, chatID: id, timeZone: "Europe/Berlin", slots: [Slot(hour: 8, minute: 0)!],
                               topics: [Topic("topic 1")!, Topic("topic 2")!])
                })
                let ids: [Int64] = [5, 17, 99, 1_000, 2_000, 2_500, 7_777, 12, 13, 14, 15, 16, 18, 19, 20]
                let query = PostgresSubscriberStore.readSubscribersQuery(ids)
                let plan = try await cluster.read(.primary, operation: "explain",
                                                  PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)) {
                    try $0.decode(String.self).joined(separator: "\n")
                }
                #expect(plan.contains("Index"), "\(plan)")
                #expect(!plan.contains("Seq Scan"), "\(plan)")
                let found = try await PostgresSubscriberStore.readSubscribers(ids, cluster: cluster)
                #expect(found.keys.sorted() == ids.filter { $0 <= 1_000 }.sorted())
                #expect(try found[17]?.get().topics == [Topic("topic 1")!, Topic("topic 2")!])
            }
        }

        @Test func readsArrivingWhileQueriesRunShareQueries() async throws {
            let schema = Env.uniqueSchema()
            try await Env.withCluster(schema: schema, replicas: false) { cluster in
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert(Self.stored)
                let batcher = store.subscriberReads
                let before = batcher.statistics
                let box = try await Self.withSubscribersLocked(schema: schema) {
                    let box = Self.startReads(Self.readIDs, on: store)
                    try await Self.waitUntilHeld(Self.readIDs.count, by: batcher)
                    return box
                }
                let outcomes = try await Self.finished(box)
                Self.check(outcomes, for: Self.readIDs)
                // The ones that queried at once (`maxInFlight`), then the rest queued, in queries of at most 256.
                let queued = Self.readIDs.count - batcher.maxInFlight
                let expectedQueries = batcher.maxInFlight + (queued + batcher.maxBatch - 1) / batcher.maxBatch
                let after = batcher.statistics
                #expect(after.queries - before.queries == expectedQueries)
                #expect(after.queued == 0 && after.inFlight == 0)
                // A store reading the primary shares the batcher.
                #expect(store.readingPrimary().subscriberReads === batcher)
            }
        }

        @Test func aFailedQueryReachesEveryWaitingRead() async throws {
            let schema = Env.uniqueSchema()
            try await Env.withCluster(schema: schema, replicas: false) { cluster in
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert(Self.stored)
                let batcher = store.subscriberReads
                // The reads wait for the lock, and find the table gone when they get it.
                let box = try await Self.withSubscribersLocked(schema: schema, thenSQL: "DROP TABLE subscribers CASCADE;") {
                    let box = Self.startReads(Self.readIDs, on: store)
                    try await Self.waitUntilHeld(Self.readIDs.count, by: batcher)
                    return box
                }
                let outcomes = try await Self.finished(box)
                #expect(outcomes.count == Self.readIDs.count)
                for (id, outcome) in zip(Self.readIDs, outcomes) {
                    switch outcome {
                    case .success(let subscriber):
                        Issue.record("subscriber \(id) read \(String(describing: subscriber)) from a dropped table")
                    case .failure(let error):
                        let failure = try #require(error as? NewsbotError, "subscriber \(id): \(error)")
                        #expect(failure.code == .storage, "subscriber \(id): \(failure)")
                        #expect(failure.description.contains("read subscriber"), "subscriber \(id): \(failure)")
                    }
                }
                #expect(batcher.statistics.queued == 0 && batcher.statistics.inFlight == 0)
                // Idle again, a lone read fails the same way instead of waiting for anything.
                await #expect(throws: NewsbotError.self) { _ = try await store.subscriber(id: 1) }
            }
        }
    }
}
