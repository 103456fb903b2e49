import Core
import Foundation
import Telegram
import SQLiteBackend
import TelegramSim
import Testing
@testable import Chat

/// `/topics`, remove buttons, `/unsubscribe`, `/time`, `/pause`, `/resume`, `/digest`.
@Suite("Settings flows")
struct SettingsFlowTests {
    static func seeded(_ user: User, language: Language = .en) -> Subscriber {
        Subscriber(id: user.id, chatID: user.id, language: language, timeZone: "Europe/Berlin",
                   slots: [Slot("08:00")!], topics: ["ai", "python", "космос"].compactMap(Topic.init))
    }

    @Test(arguments: ChatMode.allCases, Language.allCases)
    func topicsListRemoveButtonsAndUnsubscribe(_ mode: ChatMode, _ language: Language) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), language.rawValue)
            let s = ChatStrings.forLanguage(language)
            try await world.store.upsert(Self.seeded(user, language: language))

            let list = try await world.send("/topics", as: user)
            #expect(list.map(\.text) == [s.topicsList(["ai", "python", "космос"], "08:00", "Europe/Berlin")])
            #expect(TestUpdates.buttons(in: list.first).count == 3)
            let python = try #require(TestUpdates.button("python", in: list.first))
            let removed = try await world.press(python, on: list.first, as: user)
            #expect(removed.answer?.text == s.done)
            #expect(removed.replies.map(\.text) == [s.removed("python")])
            let stale = try await world.press(python, on: list.first, as: user)
            #expect(stale.answer?.text == s.staleButton)
            #expect(stale.replies.isEmpty)

            #expect(try await world.send("/list", as: user).map(\.text) == [s.topicsList(["ai", "космос"], "08:00", "Europe/Berlin")])
            #expect(try await world.send("/unsubscribe  КОСМОС ", as: user).map(\.text) == [s.removed("космос")])
            let bare = try await world.send("/unsubscribe", as: user)
            #expect(bare.map(\.text) == [s.topicsList(["ai"], "08:00", "Europe/Berlin")])
            _ = try await world.send("/unsubscribe ai", as: user)
            #expect(try await world.send("/topics", as: user).map(\.text) == [s.noTopics])
            #expect(try await world.subscriber(user.id)?.topics == [])
            // Every button press was answered exactly once.
            #expect(world.simulator.stats().callbackQueriesPending == 0)
        }
    }

    @Test(arguments: ChatMode.allCases)
    func timeMenuTogglesSlotsAndChangesTheZone(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), "ru")
            let s = ChatStrings.forLanguage(.ru)
            try await world.store.upsert(Self.seeded(user, language: .ru))

            let menu = try await world.send("/time", as: user)
            #expect(menu.map(\.text) == [s.timeMenu("08:00", "Europe/Berlin")])
            #expect(TestUpdates.button("✓ 08:00", in: menu.first) == "ts:0800")
            let added = try await world.press("ts:0700", on: menu.first, as: user)
            #expect(added.replies.map(\.text) == [s.slotAdded("07:00", "07:00, 08:00")])
            _ = try await world.send("/time", as: user)
            #expect(try await world.send("8:00", as: user).map(\.text) == [s.slotRemoved("08:00", "07:00")])
            let menu2 = try await world.send("/time", as: user)
            let zones = try await world.press("tm:zone", on: menu2.first, as: user)
            let tokyo = try #require(TestUpdates.button("Tokyo", in: zones.replies.first))
            let set = try await world.press(tokyo, on: zones.replies.first, as: user)
            #expect(set.replies.first?.text.hasPrefix(s.zoneSet("Asia/Tokyo")) == true)
            _ = try await world.send("/time", as: user)
            #expect(try await world.send("GMT+2", as: user).first?.text.hasPrefix(s.zoneSet("UTC+02:00")) == true)
            let stored = try #require(try await world.subscriber(user.id))
            #expect(stored.slots == [Slot("07:00")!] && stored.timeZone == "UTC+02:00")
        }
    }

    @Test(arguments: ChatMode.allCases)
    func pauseResumeAndDigestOnDemand(_ mode: ChatMode) async throws {
        // The test gives the user topics behind the chat front's back, after its first update:
        // without the subscriber cache the front sees that at once.
        let configuration = UpdateRouter.Configuration(replyLimits: .unlimited, subscriberCacheAge: .zero)
        try await ChatWorld.with(mode, configuration: configuration) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let s = ChatStrings.forLanguage(.en)
            #expect(try await world.send("/digest", as: user).map(\.text) == [s.digestNoTopics])
            try await world.store.upsert(Self.seeded(user))

            #expect(try await world.send("/pause", as: user).map(\.text) == [s.paused])
            #expect(try await world.subscriber(user.id)?.status == .paused)
            #expect(try await world.send("/pause", as: user).map(\.text) == [s.alreadyPaused])
            #expect(try await world.send("/start", as: user).map(\.text) == [s.welcomePaused("Ann")])
            #expect(try await world.send("/resume", as: user).map(\.text) == [s.resumed])
            #expect(try await world.send("/resume", as: user).map(\.text) == [s.alreadyActive])
            #expect(try await world.subscriber(user.id)?.status == .active)

            #expect(try await world.send("/digest", as: user).map(\.text) == [s.digestQueued])
            #expect(try await world.send("/digest", as: user).map(\.text) == [s.digestTooSoon(10)])
            let jobs = try await world.embedded.jobs.receive(from: .trigger, max: 10, wait: .zero)
            #expect(jobs.map { String(decoding: $0.payload, as: UTF8.self) } == [#"{"type":"on_demand","user_id":\#(user.id)}"#])
        }
    }
}
