import Core
import Testing

/// The `LeaderLock` contract: one holder per name while its lease runs, renewals, takeover after expiry.
@Suite("LeaderLock contract")
struct LeaderLockContractTests {
    typealias F = ContractFixtures
    /// For the expiry tests. Long against a loaded machine: Redis keeps these in real time,
    /// and every check is made well before (≤ 1.5 s) or well after (≥ 1.5 s past) the expiry.
    static let lease: Duration = .seconds(4)

    @Test(arguments: PortFactories.leaderLocks)
    func oneHolderAtATime(_ factory: PortFactory<any LeaderLock>) async throws {
        try await factory.run { subject in
            let lock = subject.port
            let other = try await subject.peer()
            #expect(try await lock.acquire("scheduler", owner: "a", lease: F.outlivesTheTest))
            #expect(try await other.acquire("scheduler", owner: "b", lease: F.outlivesTheTest) == false)
            #expect(try await other.acquire("another-lock", owner: "b", lease: F.outlivesTheTest))
            // A release by someone else does nothing.
            try await other.release("scheduler", owner: "b")
            #expect(try await other.acquire("scheduler", owner: "b", lease: F.outlivesTheTest) == false)
            try await lock.release("scheduler", owner: "a")
            #expect(try await other.acquire("scheduler", owner: "b", lease: F.outlivesTheTest))
        }
    }

    @Test(arguments: PortFactories.leaderLocks)
    func renewingKeepsTheLease(_ factory: PortFactory<any LeaderLock>) async throws {
        try await factory.run { subject in
            let lock = subject.port
            let environment = subject.environment
            try await environment.untilTimingHolds { attempt in
                let name = "scheduler-\(attempt)"
                var held = ContinuousClock.now
                #expect(try await lock.acquire(name, owner: "a", lease: Self.lease))
                // Three renewals 1.5 s apart outlast the first 4 s lease; each is judged only if
                // it came before the lease it renews could have run out.
                for _ in 0..<3 {
                    try await environment.advance(by: .milliseconds(1500))
                    let renewed = ContinuousClock.now
                    let stillOurs = try await lock.acquire(name, owner: "b", lease: Self.lease) == false
                    guard environment.kept(held, under: Self.lease) else { return false }
                    #expect(stillOurs)
                    #expect(try await lock.acquire(name, owner: "a", lease: Self.lease))
                    held = renewed
                }
                return true
            }
        }
    }

    @Test(arguments: PortFactories.leaderLocks)
    func leaseIsTakenOverAfterExpiry(_ factory: PortFactory<any LeaderLock>) async throws {
        try await factory.run { subject in
            let lock = subject.port
            let other = try await subject.peer()
            #expect(try await lock.acquire("scheduler", owner: "a", lease: Self.lease))
            try await subject.environment.advance(by: .milliseconds(5500))
            #expect(try await other.acquire("scheduler", owner: "b", lease: Self.lease))
            // The old leader finds out it lost the lock.
            #expect(try await lock.acquire("scheduler", owner: "a", lease: Self.lease) == false)
        }
    }

    @Test(arguments: PortFactories.leaderLocks)
    func concurrentCandidatesElectOne(_ factory: PortFactory<any LeaderLock>) async throws {
        try await factory.run { subject in
            let locks = [subject.port, try await subject.peer()]
            let leaders = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let lock = locks[index % 2]
                    group.addTask { try await lock.acquire("scheduler", owner: "candidate-\(index)", lease: F.outlivesTheTest) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(leaders == 1)
        }
    }
}
