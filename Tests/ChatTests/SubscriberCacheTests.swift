import Core
import Foundation
import Telegram
import Testing
@testable import Chat

/// `SubscriberCache`: when a private chat may reuse the subscriber it saw, and when the router
/// must read the store again.
@Suite("Subscriber cache")
struct SubscriberCacheTests {
    private static let ann = Subscriber(id: 7, chatID: 7, language: .en)

    // MARK: the cache

    @Test func anEntryServesOnlyTheChatStateItWasStoredWith() {
        let cache = SubscriberCache(maxAge: .seconds(60))
        cache.store(Self.ann, chatID: 7, updateID: 5)
        #expect(cache.subscriber(chatID: 7, lastUpdateID: 5) == .some(Self.ann))
        #expect(cache.subscriber(chatID: 7, lastUpdateID: nil) == nil)
        #expect(cache.subscriber(chatID: 8, lastUpdateID: 5) == nil)
        // Another process applied update 6: the entry is dropped, not only skipped.
        #expect(cache.subscriber(chatID: 7, lastUpdateID: 6) == nil)
        #expect(cache.subscriber(chatID: 7, lastUpdateID: 5) == nil)
        #expect(cache.count == 0)
    }

    @Test func aChatKnownToHaveNoSubscriberIsCachedToo() {
        let cache = SubscriberCache(maxAge: .seconds(60))
        cache.store(nil, chatID: 9, updateID: 1)
        let cached = cache.subscriber(chatID: 9, lastUpdateID: 1)
        #expect(cached != nil)
        #expect(cached! == nil)
    }

    @Test func anEntryExpiresAfterItsMaxAge() async throws {
        let cache = SubscriberCache(maxAge: .milliseconds(20))
        cache.store(Self.ann, chatID: 7, updateID: 5)
        try await Task.sleep(for: .milliseconds(80))
        #expect(cache.subscriber(chatID: 7, lastUpdateID: 5) == nil)
    }

    @Test func aZeroMaxAgeTurnsTheCacheOff() {
        let cache = SubscriberCache(maxAge: .zero)
        cache.store(Self.ann, chatID: 7, updateID: 5)
        #expect(cache.subscriber(chatID: 7, lastUpdateID: 5) == nil)
        #expect(cache.count == 0)
    }

    @Test func forgetAndCapacityBoundWhatIsKept() {
        let cache = SubscriberCache(maxAge: .seconds(60), capacity: 3)
        for id in Int64(1)...10 { cache.store(Subscriber(id: id, chatID: id, language: .en), chatID: id, updateID: id) }
        #expect(cache.count <= 3)
        #expect(cache.subscriber(chatID: 10, lastUpdateID: 10)?.map(\.id) == 10)
        cache.forget(10)
        #expect(cache.subscriber(chatID: 10, lastUpdateID: 10) == nil)
    }

    // MARK: the router

    private struct Front {
        let store = MemorySubscriberStore()
        let states = MemoryConversationStateStore()
        let telegram = RecordingTelegram()

        func router(cacheAge: Duration = .seconds(60)) -> UpdateRouter {
            UpdateRouter(configuration: .init(replyLimits: .unlimited, subscriberCacheAge: cacheAge), telegram: telegram,
                         store: store, queue: MemoryJobQueue(), states: states, limiter: MemoryRateLimiter(),
                         logger: ChatWorld.quietLogger)
        }

        /// Sends `text` through `router` and returns the text of the last reply.
        func say(_ text: String, as user: User, to router: UpdateRouter) async throws -> String? {
            _ = try await router.handle(TestUpdates.message(text, from: user, updateID: TestUpdates.next()))
            return telegram.sent.last?.text
        }

        /// Gives the subscriber a topic behind the chat front's back (an operator's tool).
        func addTopic(_ name: String, to user: User) async throws {
            _ = try await store.update(id: user.id) { $0.topics.append(Topic(name)!) }
        }
    }

    @Test func aPrivateChatReusesWhatItSawUntilAnotherProcessAppliesAnUpdate() async throws {
        let front = Front()
        let a = front.router(), b = front.router()
        let user = TestUpdates.user(TestUpdates.next())
        _ = try await front.say("/start", as: user, to: a)
        try await front.addTopic("quantum", to: user)
        // A vouches for what it saw after its own update: the change made outside is not read yet.
        #expect(try await front.say("/topics", as: user, to: a)?.contains("quantum") == false)
        // B applies an update of the chat: A can no longer vouch, and reads the store.
        _ = try await front.say("/help", as: user, to: b)
        #expect(try await front.say("/topics", as: user, to: a)?.contains("quantum") == true)
    }

    @Test func anEntryOlderThanTheCacheAgeIsReadAgain() async throws {
        let front = Front()
        let a = front.router(cacheAge: .milliseconds(50))
        let user = TestUpdates.user(TestUpdates.next())
        _ = try await front.say("/start", as: user, to: a)
        try await front.addTopic("quantum", to: user)
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await front.say("/topics", as: user, to: a)?.contains("quantum") == true)
    }

    @Test func theRoutersOwnWritesAreSeenAtOnce() async throws {
        let front = Front()
        let a = front.router()
        let user = TestUpdates.user(TestUpdates.next())
        _ = try await front.say("/subscribe quantum", as: user, to: a)
        _ = try await front.say("08:00", as: user, to: a)
        _ = try await front.say("UTC", as: user, to: a)
        #expect(try await front.say("/topics", as: user, to: a)?.contains("quantum") == true)
        _ = try await front.say("/unsubscribe quantum", as: user, to: a)
        #expect(try await front.say("/topics", as: user, to: a)?.contains("quantum") == false)
    }

    /// The delivery stage marks a user blocked outside the chat front: `/start` and an unblock
    /// (`my_chat_member`) read the store, so they re-activate the user whatever the cache holds.
    @Test func startAndMembershipReadTheStore() async throws {
        let front = Front()
        let a = front.router()
        let user = TestUpdates.user(TestUpdates.next())
        _ = try await front.say("/start", as: user, to: a)
        _ = try await front.store.update(id: user.id) { $0.status = .blocked }
        _ = try await front.say("/start", as: user, to: a)
        #expect(try await front.store.subscriber(id: user.id)?.status == .active)

        _ = try await front.say("/help", as: user, to: a)
        _ = try await front.store.update(id: user.id) { $0.status = .blocked }
        _ = try await a.handle(TestUpdates.membership(.member, from: user, updateID: TestUpdates.next()))
        #expect(try await front.store.subscriber(id: user.id)?.status == .active)
    }

    /// "No subscriber" from the cache never leads to overwriting a row made meanwhile elsewhere
    /// (a group chat, an import): the conversation asks the store again before creating one.
    @Test func aCachedAbsenceNeverOverwritesARowMadeElsewhere() async throws {
        let front = Front()
        let a = front.router()
        let user = TestUpdates.user(TestUpdates.next())
        _ = try await front.say("/help", as: user, to: a)
        try await front.store.upsert(Subscriber(id: user.id, chatID: user.id, language: .en, timeZone: "UTC",
                                                slots: [Slot("08:00")!], topics: [Topic("quantum")!]))
        _ = try await front.say("/subscribe ai", as: user, to: a)
        _ = try await front.say("09:00", as: user, to: a)
        _ = try await front.say("UTC", as: user, to: a)
        let stored = try #require(try await front.store.subscriber(id: user.id))
        #expect(Set(stored.topics.map(\.name)) == ["quantum", "ai"])
        #expect(stored.slots.contains(Slot("08:00")!))
    }
}
