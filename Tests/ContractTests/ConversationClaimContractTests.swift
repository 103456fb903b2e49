import Core
import Foundation
import Testing

/// The `ConversationStateStore.claim` contract: one atomic step that skips applied updates,
/// respects another holder's live lease, and otherwise writes the caller's lease into the stored
/// (or fresh) state with a new version.
@Suite("ConversationStateStore claim contract")
struct ConversationClaimContractTests {
    static let ttl: Duration = .seconds(30)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let fresh = ConversationState(step: "idle")
    let slot = ConversationState(step: "subscribe.slot", data: ["lang": "en", "topic": "Python & <AI> \"ü\""], lastUpdateID: 11)

    func lease(_ owner: String, seconds: Double = 30) -> ConversationLease {
        ConversationLease(owner: owner, until: now.addingTimeInterval(seconds))
    }

    func claimed(_ claim: ConversationClaim) throws -> VersionedConversationState {
        guard case .claimed(let state) = claim else { throw ClaimMismatch(claim: claim) }
        return state
    }

    struct ClaimMismatch: Error { var claim: ConversationClaim }

    @Test(arguments: PortFactories.conversationStateStores)
    func nothingStoredClaimsTheFreshState(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let held = lease("abc/12")
            let result = try claimed(try await store.claim(chatID: 1, updateID: 12, lease: held, fresh: fresh, now: now, ttl: Self.ttl))
            var expected = fresh
            expected.data[ConversationLease.key] = held.encoded
            #expect(result.state == expected)
            #expect(try await subject.peer().load(chatID: 1) == result)
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func claimKeepsTheStoredStateAndAddsTheLease(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let v1 = try #require(try await store.save(slot, chatID: 2, expectedVersion: nil, ttl: Self.ttl))
            let held = lease("abc/12")
            let result = try claimed(try await store.claim(chatID: 2, updateID: 12, lease: held, fresh: fresh, now: now, ttl: Self.ttl))
            var expected = slot
            expected.data[ConversationLease.key] = held.encoded
            #expect(result.state == expected)
            #expect(result.version > v1)
            #expect(try await store.load(chatID: 2) == result)
            // The version before the claim is stale; the claimed one saves (and so releases).
            #expect(try await store.save(slot, chatID: 2, expectedVersion: v1, ttl: Self.ttl) == nil)
            var released = expected
            released.data[ConversationLease.key] = nil
            released.lastUpdateID = 12
            #expect(try await store.save(released, chatID: 2, expectedVersion: result.version, ttl: Self.ttl) != nil)
            #expect(try await store.claim(chatID: 2, updateID: 12, lease: lease("def/12"), fresh: fresh, now: now, ttl: Self.ttl)
                    == .applied(lastUpdateID: 12))
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func appliedOrOlderUpdatesAreSkipped(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let v1 = try #require(try await store.save(slot, chatID: 3, expectedVersion: nil, ttl: Self.ttl))
            #expect(try await store.claim(chatID: 3, updateID: 11, lease: lease("a/11"), fresh: fresh, now: now, ttl: Self.ttl)
                    == .applied(lastUpdateID: 11))
            #expect(try await store.claim(chatID: 3, updateID: 9, lease: lease("a/9"), fresh: fresh, now: now, ttl: Self.ttl)
                    == .applied(lastUpdateID: 11))
            // Nothing was written.
            #expect(try await store.load(chatID: 3)?.version == v1)
        }
    }

    /// Ids beyond a double's 53 bits, and of different lengths, compare as integers.
    @Test(arguments: PortFactories.conversationStateStores)
    func largeUpdateIDsCompareExactly(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let big: Int64 = 1_764_500_000_000_000_123
            var state = slot
            state.lastUpdateID = big
            _ = try #require(try await store.save(state, chatID: 4, expectedVersion: nil, ttl: Self.ttl))
            #expect(try await store.claim(chatID: 4, updateID: big, lease: lease("a/1"), fresh: fresh, now: now, ttl: Self.ttl)
                    == .applied(lastUpdateID: big))
            #expect(try await store.claim(chatID: 4, updateID: 999, lease: lease("a/2"), fresh: fresh, now: now, ttl: Self.ttl)
                    == .applied(lastUpdateID: big))
            let next = try claimed(try await store.claim(chatID: 4, updateID: big + 1, lease: lease("a/3"), fresh: fresh,
                                                         now: now, ttl: Self.ttl))
            #expect(next.state.lastUpdateID == big)
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func aLiveLeaseMakesTheChatBusyAndAnExpiredOneIsTaken(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let first = lease("one/12", seconds: 10)
            _ = try claimed(try await store.claim(chatID: 5, updateID: 12, lease: first, fresh: fresh, now: now, ttl: Self.ttl))
            #expect(try await subject.peer().claim(chatID: 5, updateID: 13, lease: lease("two/13"), fresh: fresh,
                                                   now: now.addingTimeInterval(9), ttl: Self.ttl) == .busy)
            // Past its end the lease is anyone's: replaced, not added to.
            let later = now.addingTimeInterval(11)
            let second = ConversationLease(owner: "two/13", until: later.addingTimeInterval(30))
            let taken = try claimed(try await subject.peer().claim(chatID: 5, updateID: 13, lease: second, fresh: fresh,
                                                                   now: later, ttl: Self.ttl))
            #expect(taken.state.data == [ConversationLease.key: second.encoded])
            #expect(try await store.load(chatID: 5)?.state.data[ConversationLease.key] == second.encoded)
        }
    }

    /// Text inside data values that looks like the lease or the last update id fools nothing.
    @Test(arguments: PortFactories.conversationStateStores)
    func lookalikeDataIsNotTheLease(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let store = subject.port
            let tricky = ConversationState(step: "subscribe.topic", data: [
                "topic": #"x","lease":"evil@99999999999999","lastUpdateID":99999"#, "lastUpdateID": "99999",
            ])
            _ = try #require(try await store.save(tricky, chatID: 6, expectedVersion: nil, ttl: Self.ttl))
            let held = lease("abc/7")
            let result = try claimed(try await store.claim(chatID: 6, updateID: 7, lease: held, fresh: fresh, now: now, ttl: Self.ttl))
            var expected = tricky
            expected.data[ConversationLease.key] = held.encoded
            #expect(result.state == expected)
            #expect(try await store.load(chatID: 6)?.state == expected)
        }
    }

    @Test(arguments: PortFactories.conversationStateStores)
    func concurrentClaimsHaveOneWinner(_ factory: PortFactory<any ConversationStateStore>) async throws {
        try await factory.run { subject in
            let stores = [subject.port, try await subject.peer()]
            _ = try #require(try await stores[0].save(slot, chatID: 8, expectedVersion: nil, ttl: Self.ttl))
            let (fresh, now) = (fresh, now)
            let results = try await withThrowingTaskGroup(of: ConversationClaim.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    let held = ConversationLease(owner: "p\(index)/20", until: now.addingTimeInterval(30))
                    group.addTask { try await store.claim(chatID: 8, updateID: 20, lease: held, fresh: fresh, now: now, ttl: Self.ttl) }
                }
                return try await group.reduce(into: [ConversationClaim]()) { $0.append($1) }
            }
            let winners = results.compactMap { if case .claimed(let state) = $0 { state } else { nil } }
            #expect(winners.count == 1)
            #expect(results.filter { $0 == .busy }.count == 9)
            #expect(try await stores[0].load(chatID: 8) == winners.first)
        }
    }
}
