import Core
import Foundation
import Telegram
import Testing
@testable import Chat

/// A reply's per-chat token is taken once: by the claim when the state store can (Redis with its
/// limiter), else by the sender; a `my_chat_member` update, which gets no reply, asks for none.
@Suite("Reply tokens")
struct ReplyTokenTests {
    @Test(arguments: [false, true])
    func eachReplyTakesItsChatTokenOnce(_ claimTakes: Bool) async throws {
        let telegram = RecordingTelegram()
        let limiter = CountingRateLimiter()
        let states = TokenTakingStateStore(takes: claimTakes)
        let router = UpdateRouter(telegram: telegram, store: MemorySubscriberStore(), queue: MemoryJobQueue(),
                                  states: states, limiter: limiter, logger: ChatWorld.quietLogger)
        let user = TestUpdates.user(9)
        #expect(try await router.handle(TestUpdates.message("/help", from: user, updateID: 1)) == .applied)
        #expect(try await router.handle(TestUpdates.message("/topics", from: user, updateID: 2)) == .applied)
        #expect(telegram.sent.count == 2)
        #expect(limiter.tokens("chat:9") == (claimTakes ? 0 : 2))
        #expect(limiter.tokens("global") == 2)
        #expect(states.requested == [["chat:9"], ["chat:9"]])
    }

    @Test func aMembershipUpdateAsksForNoToken() async throws {
        let states = TokenTakingStateStore(takes: true)
        let router = UpdateRouter(telegram: RecordingTelegram(), store: MemorySubscriberStore(), queue: MemoryJobQueue(),
                                  states: states, limiter: CountingRateLimiter(), logger: ChatWorld.quietLogger)
        _ = try await router.handle(TestUpdates.membership(.kicked, from: TestUpdates.user(9), updateID: 1))
        #expect(states.requested == [[]])
    }
}
