import Core
import Testing

/// The `LeaderLock` contract: one holder per name while its lease runs, renewals, takeover after expiry.
@Suite("LeaderLock contract")
struct LeaderLockContractTests {
    /// Long against a loaded machine: Redis keeps these in real time, and every check is
    /// made well before (≤ 1.5 s) or well after (≥ 1.5 s past) the expiry.
    static let lease: Duration = .seconds(4)

    @Test(arguments: PortFactories.leaderLocks)
    func oneHolderAtATime(_ factory: PortFactory<any LeaderLock>) async throws {
        try await factory.run { subject in
            let lock = subject.port
            let other = try await subject.peer()
            #expect(try await lock.acquire("scheduler", owner: "a", lease: Self.lease))
            #expect(try await other.acquire("scheduler", owner: "b", lease: Self.lease) == false)
            #expect(try await other.acquire("another-lock", owner: "b", lease: Self.lease))
            // A release by someone else does nothing.
            try await other.release("scheduler", owner: "b")
            #expect(try await other.acquire("scheduler", owner: "b", lease: Self.lease) == false)
            try await lock.release("scheduler", owner: "a")
            #expect(try await other.acquire("scheduler", owner: "b", lease: Self.lease))
        }
    }

    @Test(arguments: PortFactories.leaderLocks)
    func renewingKeepsTheLease(_ factory: PortFactory<any LeaderLock>) async throws {
        try await factory.run { subject in
            let lock = subject.port
            #expect(try await lock.acquire("scheduler", owner: "a", lease: Self.lease))
            for _ in 0..<3 {
                try await subject.environment.advance(by: .milliseconds(1500))
                #expect(try await lock.acquire("scheduler", owner: "a", lease: Self.lease))
                #expect(try await lock.acquire("scheduler", owner: "b", lease: Self.lease) == false)
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
                    group.addTask { try await lock.acquire("scheduler", owner: "candidate-\(index)", lease: Self.lease) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(leaders == 1)
        }
    }
}
