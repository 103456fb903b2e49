import Core
import Foundation
import PostgresBackend
import Testing

extension PostgresServerTests {
    /// Read/write split against the real primary and its streaming replica.
    @Suite("replica routing",
           .disabled(if: ProcessInfo.processInfo.environment["NEWSBOT_TEST_DATABASE_READ_URLS"] == nil,
                     "NEWSBOT_TEST_DATABASE_READ_URLS is not set"))
    struct ReplicaRoutingTests {
        typealias Env = PostgresTestEnvironment
        static let morning = Slot(hour: 8, minute: 0)!

        static func subscribers(_ ids: ClosedRange<Int64>) -> [Subscriber] {
            ids.map { Subscriber(id: $0, chatID: $0, timeZone: "Europe/Berlin", slots: [morning], topics: [Topic("news")!]) }
        }

        @Test func lagTolerantReadsGoToTheReplicaOthersToThePrimary() async throws {
            try await Env.withCluster { cluster in
                #expect(try await Env.replicasHealthy(cluster))
                // Once the replica has replayed the migration this cluster wrote, reads go there.
                #expect(try await Env.eventually { try await cluster.isInRecovery(consistency: .replica) })
                #expect(try await cluster.isInRecovery(consistency: .primary) == false)
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert(Self.subscribers(1...20))
                // Served by the replica once it has replayed the upsert, by the primary before: always complete.
                #expect(try await store.dueSubscribers(slot: Self.morning, timeZones: nil, afterID: nil, limit: 100).count == 20)
                #expect(try await Env.eventually { try await cluster.isInRecovery(consistency: .replica) })
                #expect(try await store.subscriberCount() == 20)
                #expect(try await store.readingPrimary().subscriberCount() == 20)
            }
        }

        @Test func replicaBehindOurWritesIsNotReadAndLaggingOneIsDropped() async throws {
            let replicaURL = try #require(Env.readURLs?.split(separator: ",").first.map(String.init))
            try await Env.withCluster { cluster in
                #expect(try await Env.replicasHealthy(cluster))
                let store = PostgresSubscriberStore(cluster: cluster)
                try await Env.psql(replicaURL, "SELECT pg_wal_replay_pause()")
                do {
                    try await store.upsert(Self.subscribers(1...5))
                    // The replica has not replayed the upsert: the read goes to the primary and sees it.
                    #expect(try await store.dueSubscribers(slot: Self.morning, timeZones: nil, afterID: nil, limit: 10).count == 5)
                    #expect(try await cluster.isInRecovery(consistency: .replica) == false)
                    // Replay stays paused past the lag bound (2 s): the replica is taken out of rotation.
                    #expect(try await Env.eventually(within: .seconds(10)) {
                        cluster.replicaStatuses().first?.health == .lagging
                    })
                } catch {
                    _ = try? await Env.psql(replicaURL, "SELECT pg_wal_replay_resume()")
                    throw error
                }
                try await Env.psql(replicaURL, "SELECT pg_wal_replay_resume()")
                #expect(try await Env.replicasHealthy(cluster))
                #expect(try await Env.eventually { try await cluster.isInRecovery(consistency: .replica) })
            }
        }

        /// Another process (a bulk import) writes while the replica's replay is paused; a process
        /// started after it (`pipeline run`) has written nothing itself, yet its lag-tolerant read
        /// must see those rows: it goes to the primary until the replica has replayed them.
        @Test func aFreshProcessSeesWhatWasCommittedBeforeItsFirstRead() async throws {
            let replicaURL = try #require(Env.readURLs?.split(separator: ",").first.map(String.init))
            let schema = Env.uniqueSchema()
            try await Env.withCluster(schema: schema) { importer in
                // The replica has the migrated schema before replay stops.
                #expect(try await Env.eventually { try await importer.isInRecovery(consistency: .replica) })
                try await Env.psql(replicaURL, "SELECT pg_wal_replay_pause()")
                do {
                    try await PostgresSubscriberStore(cluster: importer).upsert(Self.subscribers(1...5))
                    let fresh = PostgresCluster(configuration: try Env.configuration(schema: schema), logger: Env.logger)
                    let running = Task { try await fresh.run() }
                    defer { running.cancel() }
                    // Its probe finds the replica serving (behind, but for less than the lag bound).
                    #expect(try await Env.replicasHealthy(fresh))
                    let due = try await PostgresSubscriberStore(cluster: fresh).dueSubscribers(
                        slot: Self.morning, timeZones: nil, afterID: nil, limit: 10)
                    #expect(due.count == 5)
                    #expect(try await fresh.isInRecovery(consistency: .replica) == false)
                    running.cancel()
                    _ = await running.result
                } catch {
                    _ = try? await Env.psql(replicaURL, "SELECT pg_wal_replay_resume()")
                    throw error
                }
                try await Env.psql(replicaURL, "SELECT pg_wal_replay_resume()")
            }
        }

        @Test(.disabled(if: ProcessInfo.processInfo.environment["NEWSBOT_TEST_SERVERS_CTL"] == nil,
                        "NEWSBOT_TEST_SERVERS_CTL is not set"))
        func stoppedReplicaFallsBackToThePrimary() async throws {
            try await Env.withCluster { cluster in
                let store = PostgresSubscriberStore(cluster: cluster)
                try await store.upsert(Self.subscribers(1...500))
                #expect(try await Env.replicasHealthy(cluster))
                #expect(try await Env.eventually { try await cluster.isInRecovery(consistency: .replica) })

                // Readers keep going while the replica is stopped under them; each notes when it read what.
                let readers = (0..<4).map { _ in
                    Task { () -> [(at: ContinuousClock.Instant, complete: Bool, failure: String?)] in
                        var log: [(at: ContinuousClock.Instant, complete: Bool, failure: String?)] = []
                        while !Task.isCancelled {
                            do {
                                let due = try await store.dueSubscribers(slot: Self.morning, timeZones: nil, afterID: nil, limit: 1000)
                                log.append((.now, due.count == 500, nil))
                            } catch {
                                if Task.isCancelled { break }
                                log.append((.now, false, String(describing: error)))
                            }
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                        return log
                    }
                }
                let stoppedAt = ContinuousClock.now
                var unreachableAt = ContinuousClock.now
                do {
                    try await Env.serversCtl("stop", "replica")
                    #expect(try await Env.eventually(within: .seconds(10)) {
                        cluster.replicaStatuses().first?.health == .unreachable
                    })
                    unreachableAt = ContinuousClock.now
                    print("postgres replica stopped: marked unreachable after \(unreachableAt - stoppedAt)")
                    try await Task.sleep(for: .seconds(2))
                    #expect(try await cluster.isInRecovery(consistency: .replica) == false)
                } catch {
                    for reader in readers { reader.cancel() }
                    _ = try? await Env.serversCtl("start", "replica")
                    throw error
                }
                for reader in readers { reader.cancel() }
                var log: [(at: ContinuousClock.Instant, complete: Bool, failure: String?)] = []
                for reader in readers { log += await reader.value }
                let duringOutage = log.filter { $0.at > stoppedAt }
                let failures = duringOutage.compactMap(\.failure)
                #expect(failures.isEmpty, "reads failed while the replica was down: \(failures.prefix(3))")
                #expect(duringOutage.filter { !$0.complete }.isEmpty)
                // Every reader kept reading (from the primary) once the replica was out.
                #expect(log.filter { $0.at > unreachableAt }.count >= readers.count)
                print("postgres replica stopped: \(duringOutage.count) reads during the outage, \(failures.count) failed")

                try await Env.serversCtl("start", "replica")
                let startedAt = ContinuousClock.now
                #expect(try await Env.replicasHealthy(cluster, within: .seconds(90)))
                #expect(try await Env.eventually { try await cluster.isInRecovery(consistency: .replica) })
                print("postgres replica restarted: serving reads again after \(ContinuousClock.now - startedAt)")
            }
        }
    }
}
