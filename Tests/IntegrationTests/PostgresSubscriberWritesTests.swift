import Core
import Foundation
@testable import PostgresBackend
import Testing

extension PostgresServerTests {
    /// One-subscriber upserts (a chat update's write) on the real store: those arriving while a
    /// write runs go together in one statement, each caller returns once its subscriber is
    /// stored, and one that cannot be written fails alone. "Arriving while a write runs" is made
    /// deterministic as in the read tests: a psql session holds `LOCK TABLE subscribers`.
    @Suite("subscriber writes")
    struct SubscriberWritesTests {
        typealias Env = PostgresTestEnvironment

        @Test func writesArrivingTogetherShareAStatementAndFailAlone() async throws {
            let schema = Env.uniqueSchema()
            try await Env.withCluster(schema: schema, replicas: false) { cluster in
                let store = PostgresSubscriberStore(cluster: cluster)
                let writes = store.subscriberWrites
                // Subscriber 77's zone has a NUL, which PostgreSQL text cannot hold.
                let subscribers = (1...Int64(120)).map { id in
                    Subscriber(id: id, chatID: id * 10, language: id % 2 == 0 ? .ru : .en,
                               timeZone: id == 77 ? "Bad\u{0}Zone" : "Asia/Tokyo",
                               slots: [Slot(hour: Int(id % 24), minute: 30)!], topics: [Topic("topic \(id)")!])
                }
                let tasks = try await SubscriberReadsTests.withSubscribersLocked(schema: schema) {
                    let tasks = subscribers.map { subscriber in Task { try await store.upsert(subscriber) } }
                    let held = try await Env.eventually(within: .seconds(60)) {
                        let statistics = writes.statistics
                        return statistics.inFlight == 1 && statistics.queued == subscribers.count - 1
                    }
                    try #require(held, "writes never queued up: \(writes.statistics)")
                    return tasks
                }
                var failed: [Int64] = []
                for (subscriber, task) in zip(subscribers, tasks) {
                    if case .failure = await task.result { failed.append(subscriber.id) }
                }
                #expect(failed == [77])
                // The first write alone, then the 119 queued together (written one by one after
                // the statement with 77 failed).
                #expect(writes.statistics == .init(requests: 120, calls: 2, queued: 0, inFlight: 0))
                for subscriber in subscribers where subscriber.id != 77 {
                    #expect(try await store.subscriber(id: subscriber.id) == subscriber)
                }
                #expect(try await store.subscriber(id: 77) == nil)
            }
        }
    }
}
