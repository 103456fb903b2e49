import Core
import Foundation
import Telegram
import TelegramSim
import Testing
@testable import Chat

/// Blocking, unknown update kinds, restarts, TTL expiry and duplicates.
@Suite("Lifecycle")
struct LifecycleTests {
    @Test(arguments: ChatMode.allCases)
    func blockingAndUnblockingTheBotChangesTheStatus(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let s = ChatStrings.forLanguage(.en)
            _ = try await world.send("/start", as: user)
            #expect(try await world.deliver(TestUpdates.membership(.kicked, from: user), chatID: user.id).isEmpty)
            #expect(try await world.subscriber(user.id)?.status == .blocked)
            #expect(try await world.deliver(TestUpdates.membership(.member, from: user), chatID: user.id).isEmpty)
            #expect(try await world.subscriber(user.id)?.status == .active)

            _ = try await world.deliver(TestUpdates.membership(.kicked, from: user), chatID: user.id)
            #expect(try await world.send("/start", as: user).map(\.text) == [s.welcomeBack("Ann")])
            #expect(try await world.subscriber(user.id)?.status == .active)

            // A reply Telegram refuses with 403 marks the user blocked as well.
            world.simulator.setFault(.blocked, forChat: user.id)
            #expect(try await world.send("/help", as: user).isEmpty)
            #expect(try await world.subscriber(user.id)?.status == .blocked)
        }
    }

    @Test(arguments: ChatMode.allCases)
    func unknownKindsAndEditsAreAcknowledgedAndIgnored(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next())
            try world.simulator.injectUpdate(json: Data(#"{"poll":{"id":"p1","question":"?","options":[]}}"#.utf8))
            try world.simulator.injectUpdate(json: Data(#"{"channel_post":{"message_id":1,"date":0,"chat":{"id":-1001,"type":"channel"},"text":"/start"}}"#.utf8))
            var edited = TestUpdates.message("/start", from: user)
            edited.editedMessage = edited.message
            edited.message = nil
            try world.simulator.injectUpdate(edited)
            try await world.waitUntilTaken()
            #expect(world.simulator.messages().isEmpty)
            // Still serving.
            #expect(try await world.send("/start", as: user).count == 1)
        }
    }

    @Test(arguments: ChatMode.allCases)
    func aRestartInTheMiddleOfSubscribeContinuesWhereTheUserWas(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), "ru")
            let s = ChatStrings.forLanguage(.ru)
            _ = try await world.send("/subscribe", as: user)
            let askSlot = try await world.send("формула 1", as: user)
            try await world.restart()
            let askZone = try await world.press("sl:2100", on: askSlot.first, as: user)
            #expect(askZone.replies.map(\.text) == [s.askZone])
            try await world.restart()
            let summary = try await world.send("Europe/Moscow", as: user)
            #expect(summary.first?.text.hasPrefix(s.subscribed("формула 1", "21:00", "Europe/Moscow")) == true)
            #expect(try await world.subscriber(user.id)?.topics == [Topic("формула 1")!])
        }
    }

    @Test(arguments: ChatMode.allCases)
    func aHalfFinishedFlowExpiresAfterItsTTL(_ mode: ChatMode) async throws {
        let clock = ManualClock(now: Date())
        // The test gives the user a topic behind the chat front's back mid-conversation: without
        // the subscriber cache the front sees that at once.
        let configuration = UpdateRouter.Configuration(flowTTL: .seconds(600), replyLimits: .unlimited,
                                                       subscriberCacheAge: .zero)
        try await ChatWorld.with(mode, clock: clock, configuration: configuration) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let s = ChatStrings.forLanguage(.en)
            _ = try await world.send("/subscribe", as: user)
            clock.advance(by: .seconds(590))
            let askSlot = try await world.send("ai", as: user)
            #expect(askSlot.map(\.text) == [s.askSlot("ai")])
            // Each answer restarts the clock of the flow; ten silent minutes end it.
            clock.advance(by: .seconds(601))
            #expect(try await world.send("08:00", as: user).map(\.text) == [s.flowExpired])
            #expect(try await world.conversation(user.id)?.step == "idle")
            #expect(try await world.subscriber(user.id)?.topics ?? [] == [])
            let stale = try await world.press("sl:0800", on: askSlot.first, as: user)
            #expect(stale.answer?.text == s.staleButton)
            #expect(try await world.send("hello", as: user).map(\.text) == [s.idleText])

            // /digest's cooldown is kept in the same record and counts on the same clock.
            try await world.store.upsert(Subscriber(id: user.id, chatID: user.id, topics: [Topic("ai")!]))
            let queued = try await world.send("/digest", as: user).map(\.text)
            #expect(queued == [s.digestQueued])
            clock.advance(by: .seconds(300))
            let tooSoon = try await world.send("/digest", as: user).map(\.text)
            #expect(tooSoon == [s.digestTooSoon(5)])
            clock.advance(by: .seconds(301))
            let again = try await world.send("/digest", as: user).map(\.text)
            #expect(again == [s.digestQueued])
        }
    }

    @Test(arguments: ChatMode.allCases)
    func theSameUpdateTwiceIsAppliedOnce(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let update = TestUpdates.message("/subscribe", from: user, updateID: 5_000)
            try world.simulator.injectUpdate(update)
            try world.simulator.injectUpdate(update)
            try await world.waitUntilTaken()
            #expect(world.simulator.messages(chatID: user.id).count == 1)
            #expect(try await world.conversation(user.id)?.lastUpdateID == 5_000)
            // Later, once more (a redelivery after a timeout): still skipped.
            #expect(try await world.deliver(update, chatID: user.id).isEmpty)
            #expect(try await world.router.handle(update) == .duplicate)
        }
    }

    @Test func anOlderUpdateAfterANewerOneIsSkipped() async throws {
        try await ChatWorld.with(.webhook) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let newer = try await world.router.handle(TestUpdates.message("/subscribe", from: user, updateID: 9_001))
            let older = try await world.router.handle(TestUpdates.message("/help", from: user, updateID: 9_000))
            #expect(newer == .applied)
            #expect(older == .outdated)
            #expect(world.simulator.messages(chatID: user.id).count == 1)
            #expect(try await world.conversation(user.id)?.step == "subscribe.topic")
        }
    }
}
