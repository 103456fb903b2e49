import Core
import Testing

/// The `ConversationStateStore` contract: compare-and-set on versions, TTL, monotonic versions.
@Suite("ConversationStateStore contract")
struct ConversationStateStoreContractTests {
    typealias F = ContractFixtures
    /// For the expiry tests. Long against a loaded machine: Redis keeps these in real time,
    /// and every check is made well before (≤ 1.5 s) or well after (≥ 1.5 s past) the expiry.
    static let ttl: Duration = .seconds(4)
    let topic = ConversationState(step: "subscribe.topic", data: ["lang": "en"], lastUpdateID: 10)
    let slot = ConversationState(step: "subscribe.slot", data: ["lang": "en", "topic": "Python & <AI> \"ü\""], lastUpdateID: 11)

    @Test(arguments: PortFactories.conversationStateStores)
    func saveThenLoadRoundTrips(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            #expect(try await store.load(chatID: 1) == nil)
            let version = try #require(try await store.save(slot, chatID: 1, expectedVersion: nil, ttl: F.outlivesTheTest))
            #expect(try await store.load(chatID: 1) == VersionedConversationState(state: slot, version: version))
            #expect(try await subject.peer().load(chatID: 1)?.state == slot)
            #expect(try await store.load(chatID: 2) == nil)
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func saveIsCompareAndSet(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let v1 = try #require(try await store.save(topic, chatID: 1, expectedVersion: nil, ttl: F.outlivesTheTest))
            // Something is stored: "nothing stored" no longer matches.
            #expect(try await store.save(slot, chatID: 1, expectedVersion: nil, ttl: F.outlivesTheTest) == nil)
            #expect(try await store.save(slot, chatID: 1, expectedVersion: v1 + 100, ttl: F.outlivesTheTest) == nil)
            let v2 = try #require(try await store.save(slot, chatID: 1, expectedVersion: v1, ttl: F.outlivesTheTest))
            #expect(v2 > v1)
            // The old version is stale now.
            #expect(try await store.save(topic, chatID: 1, expectedVersion: v1, ttl: F.outlivesTheTest) == nil)
            #expect(try await store.load(chatID: 1) == VersionedConversationState(state: slot, version: v2))
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func concurrentWritersWithOneVersionHaveOneWinner(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let stores = [subject.port, try await subject.peer()]
            let v1 = try #require(try await stores[0].save(topic, chatID: 5, expectedVersion: nil, ttl: F.outlivesTheTest))
            let state = slot
            let winners = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask { try await store.save(state, chatID: 5, expectedVersion: v1, ttl: F.outlivesTheTest) }
                }
                return try await group.reduce(into: [Int64]()) { if let version = $1 { $0.append(version) } }
            }
            #expect(winners.count == 1)
            #expect(try await stores[0].load(chatID: 5)?.version == winners.first)
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func stateExpiresAfterItsTTL(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let environment = subject.environment
            try await afterAFirstSave(subject) { chatID, v1, saved in
                let live = try await store.load(chatID: chatID)?.version
                guard environment.kept(saved, under: Self.ttl) else { return false }
                #expect(live == v1)
                try await environment.advance(by: .milliseconds(4000))
                #expect(try await store.load(chatID: chatID) == nil)
                // Expired counts as nothing stored: the old version no longer matches, nil does.
                #expect(try await store.save(slot, chatID: chatID, expectedVersion: v1, ttl: Self.ttl) == nil)
                let v2 = try #require(try await store.save(slot, chatID: chatID, expectedVersion: nil, ttl: Self.ttl))
                #expect(v2 > v1, "versions stay monotonic across expiry")
                return true
            }
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func saveRefreshesTheTTL(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let environment = subject.environment
            try await afterAFirstSave(subject) { chatID, v1, saved in
                let refreshed = ContinuousClock.now
                let second = try await store.save(slot, chatID: chatID, expectedVersion: v1, ttl: Self.ttl)
                guard environment.kept(saved, under: Self.ttl) else { return false }
                let v2 = try #require(second)
                try await environment.advance(by: .milliseconds(3000))
                let live = try await store.load(chatID: chatID)?.version
                guard environment.kept(refreshed, under: Self.ttl) else { return false }
                #expect(live == v2)
                return true
            }
        }
    }

    /// `untilTimingHolds` with each attempt on a fresh chat whose first state (`topic`) was saved
    /// 1.5 s before `check` runs; `check` gets the chat, that state's version and when its save began.
    private func afterAFirstSave(_ subject: ContractSubject<any ConversationStateStore>,
                                 _ check: (_ chatID: Int64, _ v1: Int64, _ saved: ContinuousClock.Instant) async throws -> Bool)
        async throws {
        try await subject.environment.untilTimingHolds { attempt in
            let chatID = Int64(1 + attempt)
            let saved = ContinuousClock.now
            let v1 = try #require(try await subject.port.save(topic, chatID: chatID, expectedVersion: nil, ttl: Self.ttl))
            try await subject.environment.advance(by: .milliseconds(1500))
            return try await check(chatID, v1, saved)
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func clearChecksTheVersion(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let v1 = try #require(try await store.save(topic, chatID: 1, expectedVersion: nil, ttl: F.outlivesTheTest))
            #expect(try await store.clear(chatID: 1, expectedVersion: v1 + 1) == false)
            #expect(try await store.load(chatID: 1) != nil)
            #expect(try await store.clear(chatID: 1, expectedVersion: v1))
            #expect(try await store.load(chatID: 1) == nil)
            #expect(try await store.clear(chatID: 1, expectedVersion: nil) == false)
            let v2 = try #require(try await store.save(slot, chatID: 1, expectedVersion: nil, ttl: F.outlivesTheTest))
            #expect(v2 > v1, "versions stay monotonic across clear")
            #expect(try await store.clear(chatID: 1, expectedVersion: nil))
            #expect(try await store.clear(chatID: 2, expectedVersion: nil) == false)
        }
    }
}
