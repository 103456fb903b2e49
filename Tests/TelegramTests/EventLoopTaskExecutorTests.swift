import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Telegram

/// A task that prefers an event loop runs its every step on that loop, whoever resumes it.
@Suite struct EventLoopTaskExecutorTests {
    @Test func aTaskPreferringALoopIsResumedOnItAfterEveryAwait() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let (home, other) = (loops[0], loops[1])
        let steps = try await Task(executorPreference: EventLoopTaskExecutor(home)) {
            var onHome = [home.inEventLoop]
            try await Task.sleep(for: .milliseconds(5))
            onHome.append(home.inEventLoop)
            // Completed on the other loop.
            _ = try await other.submit { 42 }.get()
            onHome.append(home.inEventLoop)
            // Resumed from a thread that is no loop at all.
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume() }
            }
            onHome.append(home.inEventLoop)
            return onHome
        }.value
        #expect(steps == [true, true, true, true])
        try await group.shutdownGracefully()
    }
}
