import Core
import Foundation
import Testing

/// The `SubscriberStore` contract, run against every implementation in `PortFactories`.
@Suite("SubscriberStore contract")
struct SubscriberStoreContractTests {
    typealias F = ContractFixtures

    // MARK: subscribers

    @Test(arguments: PortFactories.subscriberStores)
    func upsertRoundTripsEveryField(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let ada = Subscriber(id: 7, chatID: -100_7, language: .ru, timeZone: "UTC+03:00", status: .paused,
                                 slots: [F.evening, F.morning, F.morning], topics: [Topic("AI")!, Topic(" Python ")!])
            let noZone = Subscriber(id: 8, chatID: 8)
            try await store.upsert([ada, noZone])
            #expect(try await store.subscriber(id: 7) == ada)
            #expect(try await store.subscriber(id: 7)?.slots == [F.morning, F.evening])
            #expect(try await store.subscriber(id: 8) == noZone)
            #expect(try await store.subscriber(id: 9) == nil)
            #expect(try await store.subscriberCount() == 2)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func upsertReplacesSlotsAndStatus(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            try await store.upsert(F.subscriber(1, slots: [F.morning]))
            try await store.upsert(F.subscriber(1, slots: [F.evening], topics: ["rust"]))
            #expect(try await store.subscriberCount() == 1)
            #expect(try await store.dueSubscribers(slot: F.morning, timeZones: nil, afterID: nil, limit: 10).isEmpty)
            #expect(try await store.dueSubscribers(slot: F.evening, timeZones: nil, afterID: nil, limit: 10).map(\.id) == [1])
            #expect(try await store.subscriber(id: 1)?.topics == [Topic("rust")!])
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func updateAppliesTheChangeAndNormalises(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            try await store.upsert(F.subscriber(1, topics: ["python"]))
            let updated = try await store.update(id: 1) { subscriber in
                subscriber.topics.append(Topic("AI")!)
                subscriber.topics.append(Topic("python")!)
                subscriber.status = .paused
            }
            #expect(updated?.topics == [Topic("ai")!, Topic("python")!])
            #expect(updated?.status == .paused)
            #expect(try await store.subscriber(id: 1) == updated)
            #expect(try await store.dueSubscribers(slot: F.morning, timeZones: nil, afterID: nil, limit: 10).isEmpty)
            #expect(try await store.update(id: 2) { $0.status = .blocked } == nil)
            #expect(try await store.subscriber(id: 2) == nil)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func concurrentUpdatesAreNotLost(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let stores = [subject.port, try await subject.peer()]
            try await stores[0].upsert(F.subscriber(1, topics: []))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    let store = stores[index % 2]
                    group.addTask { _ = try await store.update(id: 1) { $0.topics.append(Topic("topic \(index)")!) } }
                }
                try await group.waitForAll()
            }
            #expect(try await stores[0].subscriber(id: 1)?.topics.count == 20)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func dueSubscribersFilterBySlotStatusAndZone(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            try await store.upsert([
                F.subscriber(1, zone: "Europe/Berlin"),
                F.subscriber(2, zone: "Asia/Tokyo"),
                F.subscriber(3, zone: nil),
                F.subscriber(4, status: .paused),
                F.subscriber(5, status: .blocked),
                F.subscriber(6, slots: [F.evening]),
                F.subscriber(7, slots: [F.morning, F.evening], zone: "Asia/Tokyo"),
            ])
            let all = try await store.dueSubscribers(slot: F.morning, timeZones: nil, afterID: nil, limit: 100)
            #expect(all.map(\.id) == [1, 2, 3, 7])
            let tokyo = try await store.dueSubscribers(slot: F.morning, timeZones: ["Asia/Tokyo"], afterID: nil, limit: 100)
            #expect(tokyo.map(\.id) == [2, 7])
            // A subscriber without a zone is due by UTC.
            let utc = try await store.dueSubscribers(slot: F.morning, timeZones: ["UTC", "Europe/Berlin"], afterID: nil, limit: 100)
            #expect(utc.map(\.id) == [1, 3])
            #expect(try await store.dueSubscribers(slot: F.morning, timeZones: [], afterID: nil, limit: 100).isEmpty)
            #expect(try await store.dueSubscribers(slot: F.evening, timeZones: nil, afterID: nil, limit: 100).map(\.id) == [6, 7])
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func dueSubscribersPageByAscendingID(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let ids: [Int64] = [42, 3, 17, 8, 99, 23, 5]
            try await store.upsert(ids.map { F.subscriber($0) })
            var seen: [Int64] = []
            var after: Int64?
            while true {
                let page = try await store.dueSubscribers(slot: F.morning, timeZones: nil, afterID: after, limit: 3)
                #expect(page.count <= 3)
                guard let last = page.last else { break }
                seen += page.map(\.id)
                after = last.id
            }
            #expect(seen == ids.sorted())
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func scheduleEntriesAreDistinctActivePairs(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            try await store.upsert([
                F.subscriber(1, slots: [F.morning, F.evening], zone: "Europe/Berlin"),
                F.subscriber(2, slots: [F.morning], zone: "Europe/Berlin"),
                F.subscriber(3, slots: [F.morning], zone: nil),
                F.subscriber(4, slots: [F.evening], zone: "Asia/Tokyo", status: .paused),
            ])
            let entries = try await store.scheduleEntries()
            #expect(entries.count == 3)
            #expect(Set(entries) == [
                ScheduleEntry(timeZone: "Europe/Berlin", slot: F.morning),
                ScheduleEntry(timeZone: "Europe/Berlin", slot: F.evening),
                ScheduleEntry(timeZone: "UTC", slot: F.morning),
            ])
        }
    }

    // MARK: slot runs

    @Test(arguments: PortFactories.subscriberStores)
    func createRunIsIdempotent(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let first = subject.environment.now
            let (run, created) = try await store.createRun(F.run, at: first)
            #expect(created)
            #expect(run.key == F.run)
            #expect(run.createdAt == first)
            #expect(run.completedAt == nil)
            let again = try await subject.peer().createRun(F.run, at: first.addingTimeInterval(60))
            #expect(!again.created)
            #expect(again.run.createdAt == first)
            #expect(try await store.run(SlotRunKey(pipeline: "other", slot: F.morning, date: F.day)) == nil)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func concurrentCreateRunCreatesOnce(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let stores = [subject.port, try await subject.peer(), try await subject.peer()]
            let now = subject.environment.now
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<12 {
                    let store = stores[index % stores.count]
                    group.addTask { try await store.createRun(F.run, at: now).created }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(created == 1)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func addRunUsersCountsOnlyNewUsers(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            _ = try await store.createRun(F.run, at: subject.environment.now)
            #expect(try await store.addRunUsers(F.run, userIDs: [1, 2, 3]) == 3)
            #expect(try await store.addRunUsers(F.run, userIDs: [3, 4, 4, 2, 5]) == 2)
            #expect(try await store.addRunUsers(F.run, userIDs: []) == 0)
            let run = try #require(try await store.run(F.run))
            #expect(run.counts.usersDue == 5)
            #expect(run.counts.usersPending == 5)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func runUsersKeepTheirOutcome(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            _ = try await store.createRun(F.run, at: subject.environment.now)
            try await store.addRunUsers(F.run, userIDs: Array(1...6))
            try await store.setRunUserOutcome(F.run, userID: 2, .rendered(parts: 2))
            try await store.setRunUserOutcome(F.run, userID: 4, .skipped(reason: "no_news"))
            try await store.setRunUserOutcome(F.run, userID: 5, .skipped(reason: "no_news"))
            try await store.setRunUserOutcome(F.run, userID: 6, .skipped(reason: "blocked"))
            // Re-adding users already in the run leaves their outcome alone.
            #expect(try await store.addRunUsers(F.run, userIDs: [2, 4]) == 0)
            let counts = try #require(try await store.run(F.run)).counts
            #expect(counts.usersDue == 6)
            #expect(counts.usersPending == 2)
            #expect(counts.usersWithDigest == 1)
            #expect(counts.usersSkipped == ["no_news": 2, "blocked": 1])
            #expect(try await store.pendingRunUsers(F.run, afterID: nil, limit: 10) == [1, 3])
            // Back to pending (a render that must be redone).
            try await store.setRunUserOutcome(F.run, userID: 2, .pending)
            #expect(try await store.pendingRunUsers(F.run, afterID: nil, limit: 10) == [1, 2, 3])
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func runUserOutcomesAreSetInBulk(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            _ = try await store.createRun(F.run, at: subject.environment.now)
            try await store.addRunUsers(F.run, userIDs: Array(1...500))
            var outcomes: [Int64: RunUserOutcome] = [:]
            for id in Int64(1)...400 { outcomes[id] = id.isMultiple(of: 4) ? .skipped(reason: "no_news") : .rendered(parts: 1) }
            // Users not in the run are ignored.
            outcomes[9_999] = .rendered(parts: 1)
            try await store.setRunUserOutcomes(F.run, outcomes)
            let counts = try #require(try await store.run(F.run)).counts
            #expect(counts.usersDue == 500)
            #expect(counts.usersWithDigest == 300)
            #expect(counts.usersSkipped == ["no_news": 100])
            #expect(counts.usersPending == 100)
            #expect(try await store.pendingRunUsers(F.run, afterID: nil, limit: 1).first == 401)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func pendingRunUsersPageByAscendingID(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            _ = try await store.createRun(F.run, at: subject.environment.now)
            try await store.addRunUsers(F.run, userIDs: [9, 1, 7, 3, 5])
            #expect(try await store.pendingRunUsers(F.run, afterID: nil, limit: 2) == [1, 3])
            #expect(try await store.pendingRunUsers(F.run, afterID: 3, limit: 2) == [5, 7])
            #expect(try await store.pendingRunUsers(F.run, afterID: 7, limit: 2) == [9])
            #expect(try await store.pendingRunUsers(F.run, afterID: 9, limit: 2) == [])
            let other = SlotRunKey(pipeline: "daily", slot: F.evening, date: F.day)
            #expect(try await store.pendingRunUsers(other, afterID: nil, limit: 10) == [])
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func completedRunResumesWhenUsersAreAdded(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let now = subject.environment.now
            _ = try await store.createRun(F.run, at: now)
            try await store.addRunUsers(F.run, userIDs: [1])
            try await store.markRunCompleted(F.run, at: now.addingTimeInterval(10))
            let completed = try #require(try await store.run(F.run))
            #expect(completed.completedAt == now.addingTimeInterval(10))
            #expect(completed.isFinished)
            // Completing again keeps the first completion time.
            try await store.markRunCompleted(F.run, at: now.addingTimeInterval(20))
            #expect(try await store.run(F.run)?.completedAt == now.addingTimeInterval(10))
            try await store.addRunUsers(F.run, userIDs: [1, 2])
            let resumed = try #require(try await store.run(F.run))
            #expect(resumed.completedAt == nil)
            #expect(!resumed.isFinished)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func runsListMostRecentFirst(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let now = subject.environment.now
            let keys = (0..<4).map { SlotRunKey(pipeline: "daily", slot: F.morning, date: F.day.adding(days: $0)) }
            for (index, key) in keys.enumerated() {
                _ = try await store.createRun(key, at: now.addingTimeInterval(Double(index) * 86_400))
            }
            try await store.addRunUsers(keys[3], userIDs: [1, 2])
            let runs = try await store.runs(limit: 3)
            #expect(runs.map(\.key) == [keys[3], keys[2], keys[1]])
            #expect(runs.first?.counts.usersDue == 2)
        }
    }

    // MARK: digests and the delivery ledger

    @Test(arguments: PortFactories.subscriberStores)
    func saveDigestMessagesStoresAndReturnsThem(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            _ = try await store.createRun(F.run, at: subject.environment.now)
            let messages = F.digest(2, parts: 2) + F.digest(1, parts: 1, urls: ["https://a.example/x", "https://b.example/y?q=1&r=2"])
            let saved = try await store.saveDigestMessages(messages)
            #expect(Set(saved) == Set(messages))
            #expect(saved.count == 3)
            for message in messages { #expect(try await store.digestMessage(message.key) == message) }
            #expect(try await store.digestMessage(F.key(3)) == nil)
            let counts = try #require(try await store.run(F.run)).counts
            #expect(counts.messages == 3)
            #expect(counts.messagesPending == 3)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func saveDigestMessagesExistingWins(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            _ = try await store.createRun(F.run, at: subject.environment.now)
            let original = F.digest(1, parts: 2, text: "first render")
            _ = try await store.saveDigestMessages(original)
            // A re-render after a crash: different text and a different number of parts, plus a new user.
            let rerender = F.digest(1, parts: 3, text: "second render") + F.digest(2, parts: 1, text: "second render")
            let saved = try await subject.peer().saveDigestMessages(rerender)
            let mine = saved.filter { $0.key.userID == 1 }.sorted { $0.key.part < $1.key.part }
            #expect(mine == original)
            #expect(saved.filter { $0.key.userID == 2 } == F.digest(2, parts: 1, text: "second render"))
            #expect(try await store.digestMessage(F.key(1, part: 3)) == nil)
            #expect(try await store.digestMessage(F.key(1, part: 1))?.text == original[0].text)
            #expect(try await store.run(F.run)?.counts.messages == 3)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func markDeliveredIsRecordedOnce(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let now = subject.environment.now
            _ = try await store.createRun(F.run, at: now)
            _ = try await store.saveDigestMessages(F.digest(1, parts: 2))
            #expect(try await store.markDelivered(F.key(1, part: 1), at: now))
            #expect(try await subject.peer().markDelivered(F.key(1, part: 1), at: now.addingTimeInterval(5)) == false)
            #expect(try await store.digestMessage(F.key(1, part: 1))?.deliveredAt == now)
            #expect(try await store.markDelivered(F.key(99), at: now) == false)
            let counts = try #require(try await store.run(F.run)).counts
            #expect(counts.messagesDelivered == 1)
            #expect(counts.messagesPending == 1)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func concurrentMarkDeliveredHasOneWinner(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let stores = [subject.port, try await subject.peer()]
            let now = subject.environment.now
            _ = try await stores[0].createRun(F.run, at: now)
            _ = try await stores[0].saveDigestMessages(F.digest(1))
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask { try await store.markDelivered(F.key(1), at: now) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func markFailedSettlesAnUndeliveredMessage(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let now = subject.environment.now
            _ = try await store.createRun(F.run, at: now)
            _ = try await store.saveDigestMessages(F.digest(1) + F.digest(2))
            try await store.markFailed(F.key(1), reason: "blocked", at: now)
            #expect(try await store.digestMessage(F.key(1))?.failure == "blocked")
            // A delivered message stays delivered.
            #expect(try await store.markDelivered(F.key(2), at: now))
            try await store.markFailed(F.key(2), reason: "late failure", at: now)
            let delivered = try await store.digestMessage(F.key(2))
            #expect(delivered?.deliveredAt == now)
            #expect(delivered?.failure == nil)
            let counts = try #require(try await store.run(F.run)).counts
            #expect(counts.messagesFailed == 1)
            #expect(counts.messagesDelivered == 1)
            #expect(counts.messagesPending == 0)
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func undeliveredMessagesPageWithoutSplittingAUser(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let now = subject.environment.now
            _ = try await store.createRun(F.run, at: now)
            let other = SlotRunKey(pipeline: "daily", slot: F.evening, date: F.day)
            _ = try await store.saveDigestMessages(F.digest(1, parts: 2) + F.digest(2, parts: 3) + F.digest(3) + F.digest(4)
                                                   + F.digest(5, run: other))
            #expect(try await store.markDelivered(F.key(3), at: now))
            try await store.markFailed(F.key(4), reason: "chat not found", at: now)
            var keys: [DeliveryKey] = []
            var after: Int64?
            while true {
                let page = try await store.undeliveredMessages(F.run, afterUserID: after, limit: 3)
                guard let last = page.last else { break }
                keys += page.map(\.key)
                after = last.key.userID
            }
            #expect(keys == [F.key(1, part: 1), F.key(1, part: 2), F.key(2, part: 1), F.key(2, part: 2), F.key(2, part: 3)])
        }
    }

    @Test(arguments: PortFactories.subscriberStores)
    func deliveredURLsOnlyCountDeliveredMessagesSince(_ factory: PortFactory<any SubscriberStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let now = subject.environment.now
            let yesterday = SlotRunKey(pipeline: "daily", slot: F.morning, date: F.day.adding(days: -1))
            _ = try await store.createRun(yesterday, at: now.addingTimeInterval(-86_400))
            _ = try await store.createRun(F.run, at: now)
            _ = try await store.saveDigestMessages(
                F.digest(1, run: yesterday, urls: ["https://old.example/1"])
                + F.digest(1, urls: ["https://new.example/1", "https://new.example/2"])
                + F.digest(2, urls: ["https://new.example/3"])
                + F.digest(3, urls: ["https://undelivered.example"]))
            #expect(try await store.markDelivered(F.key(1, date: yesterday.date), at: now.addingTimeInterval(-86_400)))
            #expect(try await store.markDelivered(F.key(1), at: now))
            #expect(try await store.markDelivered(F.key(2), at: now))
            let recent = try await store.deliveredURLs(userIDs: [1, 3, 4], since: now.addingTimeInterval(-3600))
            #expect(recent == [1: ["https://new.example/1", "https://new.example/2"]])
            let week = try await store.deliveredURLs(userIDs: [1, 2], since: now.addingTimeInterval(-7 * 86_400))
            #expect(week == [1: ["https://old.example/1", "https://new.example/1", "https://new.example/2"],
                             2: ["https://new.example/3"]])
            #expect(try await store.deliveredURLs(userIDs: [], since: .distantPast) == [:])
        }
    }
}
