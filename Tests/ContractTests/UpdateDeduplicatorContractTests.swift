import Core
import Testing

/// The `UpdateDeduplicator` contract: an update id is new once within its TTL.
@Suite("UpdateDeduplicator contract")
struct UpdateDeduplicatorContractTests {
    /// Long against a loaded machine: Redis keeps these in real time, and every check is
    /// made well before (≤ 1.5 s) or well after (≥ 1.5 s past) the expiry.
    static let ttl: Duration = .seconds(4)

    @Test(arguments: PortFactories.updateDeduplicators)
    func anUpdateIsFirstSeenOnce(_ factory: PortFactory<any UpdateDeduplicator>) async throws {
        try await factory.run { subject in
            let dedupe = subject.port
            let other = try await subject.peer()
            #expect(try await dedupe.firstSeen(updateID: 100, ttl: Self.ttl))
            #expect(try await dedupe.firstSeen(updateID: 100, ttl: Self.ttl) == false)
            #expect(try await other.firstSeen(updateID: 100, ttl: Self.ttl) == false)
            #expect(try await dedupe.firstSeen(updateID: 101, ttl: Self.ttl))
        }
    }

    @Test(arguments: PortFactories.updateDeduplicators)
    func anUpdateIsNewAgainAfterTheTTL(_ factory: PortFactory<any UpdateDeduplicator>) async throws {
        try await factory.run { subject in
            let dedupe = subject.port
            let start = ContinuousClock.now
            #expect(try await dedupe.firstSeen(updateID: 7, ttl: Self.ttl))
            try await subject.environment.advance(by: .milliseconds(1500))
            let seenAgain = try await dedupe.firstSeen(updateID: 7, ttl: Self.ttl)
            // A server's real-time TTL: judged only while it still runs (a starved machine can
            // take longer than the TTL to get here).
            if !subject.environment.realTime || ContinuousClock.now - start < Self.ttl {
                #expect(seenAgain == false)
            }
            try await subject.environment.advance(by: .milliseconds(4000))
            #expect(try await dedupe.firstSeen(updateID: 7, ttl: Self.ttl))
            #expect(try await dedupe.firstSeen(updateID: 7, ttl: Self.ttl) == false)
        }
    }

    @Test(arguments: PortFactories.updateDeduplicators)
    func concurrentDeliveriesOfOneUpdateApplyOnce(_ factory: PortFactory<any UpdateDeduplicator>) async throws {
        try await factory.run { subject in
            let instances = [subject.port, try await subject.peer()]
            let firsts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let dedupe = instances[index % 2]
                    group.addTask { try await dedupe.firstSeen(updateID: 555, ttl: Self.ttl) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(firsts == 1)
        }
    }
}
