import Core
import Foundation
import Testing

/// The `NewsCache` contract: values with a TTL, and a single-flight lock only its owner releases.
@Suite("NewsCache contract")
struct NewsCacheContractTests {
    typealias F = ContractFixtures
    /// For the expiry tests. Long against a loaded machine: Redis keeps these in real time,
    /// and every check is made well before (≤ 1.5 s) or well after (≥ 1.5 s past) the expiry.
    static let ttl: Duration = .seconds(4)

    @Test(arguments: PortFactories.newsCaches)
    func valuesLiveForTheirTTL(_ factory: PortFactory<any NewsCache>) async throws {
        try await factory.run { subject in
            let cache = subject.port
            let environment = subject.environment
            try await environment.untilTimingHolds { attempt in
                let python = "en:python:\(attempt)", empty = "en:empty:\(attempt)"
                #expect(try await cache.value(forKey: python) == nil)
                let stored = ContinuousClock.now
                try await cache.store(F.payload("first"), forKey: python, ttl: Self.ttl)
                try await cache.store(Data(), forKey: empty, ttl: Self.ttl)
                let first = try await cache.value(forKey: python)
                let firstFromPeer = try await subject.peer().value(forKey: python)
                let emptyValue = try await cache.value(forKey: empty)
                try await cache.store(F.payload("second"), forKey: python, ttl: Self.ttl)
                let second = try await cache.value(forKey: python)
                guard environment.kept(stored, under: Self.ttl) else { return false }
                #expect(first == F.payload("first"))
                #expect(firstFromPeer == F.payload("first"))
                #expect(emptyValue == Data())
                #expect(try await cache.value(forKey: "ru:python") == nil)
                #expect(second == F.payload("second"))
                try await environment.advance(by: .milliseconds(5500))
                #expect(try await cache.value(forKey: python) == nil)
                #expect(try await cache.value(forKey: empty) == nil)
                return true
            }
        }
    }

    @Test(arguments: PortFactories.newsCaches)
    func lockHasOneOwnerAtATime(_ factory: PortFactory<any NewsCache>) async throws {
        try await factory.run { subject in
            let cache = subject.port
            let other = try await subject.peer()
            #expect(try await cache.lock("fetch:en:python", owner: "a", ttl: F.outlivesTheTest))
            #expect(try await other.lock("fetch:en:python", owner: "b", ttl: F.outlivesTheTest) == false)
            // Re-taking one's own lock renews it.
            #expect(try await cache.lock("fetch:en:python", owner: "a", ttl: F.outlivesTheTest))
            // Other keys are independent.
            #expect(try await other.lock("fetch:ru:python", owner: "b", ttl: F.outlivesTheTest))
            // Only the owner releases.
            try await other.unlock("fetch:en:python", owner: "b")
            #expect(try await other.lock("fetch:en:python", owner: "b", ttl: F.outlivesTheTest) == false)
            try await cache.unlock("fetch:en:python", owner: "a")
            #expect(try await other.lock("fetch:en:python", owner: "b", ttl: F.outlivesTheTest))
        }
    }

    @Test(arguments: PortFactories.newsCaches)
    func anExpiredLockCanBeTakenOver(_ factory: PortFactory<any NewsCache>) async throws {
        try await factory.run { subject in
            let cache = subject.port
            let environment = subject.environment
            try await environment.untilTimingHolds { attempt in
                let key = "k\(attempt)"
                let locked = ContinuousClock.now
                #expect(try await cache.lock(key, owner: "crashed", ttl: Self.ttl))
                try await environment.advance(by: .milliseconds(1500))
                let takenEarly = try await cache.lock(key, owner: "b", ttl: Self.ttl)
                guard environment.kept(locked, under: Self.ttl) else { return false }
                #expect(takenEarly == false)
                try await environment.advance(by: .milliseconds(4000))
                #expect(try await cache.lock(key, owner: "b", ttl: Self.ttl))
                // The old owner's late unlock must not free the new owner's lock.
                try await cache.unlock(key, owner: "crashed")
                #expect(try await cache.lock(key, owner: "c", ttl: Self.ttl) == false)
                return true
            }
        }
    }

    @Test(arguments: PortFactories.newsCaches)
    func concurrentLockersHaveOneWinner(_ factory: PortFactory<any NewsCache>) async throws {
        try await factory.run { subject in
            let caches = [subject.port, try await subject.peer()]
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let cache = caches[index % 2]
                    group.addTask { try await cache.lock("single-flight", owner: "worker-\(index)", ttl: F.outlivesTheTest) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}
