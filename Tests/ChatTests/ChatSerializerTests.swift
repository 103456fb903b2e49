import Testing
@testable import Chat

@Suite("ChatSerializer")
struct ChatSerializerTests {
    @Test func oneChatAtATimeInArrivalOrderOthersInParallel() async throws {
        let serializer = ChatSerializer()
        let log = Locked<[String]>([])
        let inside = Locked<[Int64: Int]>([:])
        let overlapSeen = Locked(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let chat = Int64(index % 4)
                group.addTask {
                    try await serializer.run(chat) {
                        let count = inside.withLock { $0[chat, default: 0] += 1; return $0[chat]! }
                        if count > 1 { overlapSeen.withLock { $0 = true } }
                        log.withLock { $0.append("\(chat)") }
                        try await Task.sleep(for: .milliseconds(1))
                        inside.withLock { $0[chat]! -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(!overlapSeen.withLock { $0 })
        #expect(log.withLock { $0.count } == 40)
        #expect(serializer.busyChats == 0)
    }

    @Test func waitersAreServedFirstComeFirstServed() async throws {
        let serializer = ChatSerializer()
        let order = Locked<[Int]>([])
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await serializer.run(7) {
                startedContinuation.yield()
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        for await _ in started { break }
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<5 {
            waiters.append(Task { try await serializer.run(7) { order.withLock { $0.append(index) } } })
            try await Task.sleep(for: .milliseconds(10))
        }
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
    }

    @Test func anErrorReleasesTheChat() async throws {
        let serializer = ChatSerializer()
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await serializer.run(1) { throw Boom() } }
        let value = try await serializer.run(1) { 5 }
        #expect(value == 5)
    }
}
