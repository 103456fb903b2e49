import Core
import Foundation
import Telegram
import TelegramSim
import Testing
@testable import Chat

/// `/start` and `/subscribe` end to end: updates through the simulator (long polling or the
/// webhook over HTTP), replies back to it, state in SQLite.
@Suite("Subscribe flow")
struct SubscribeFlowTests {
    @Test(arguments: ChatMode.allCases, Language.allCases)
    func typedTopicButtonSlotTypedZoneThenUndo(_ mode: ChatMode, _ language: Language) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), language.rawValue)
            let s = ChatStrings.forLanguage(language)

            let welcome = try await world.send("/start", as: user)
            #expect(welcome.map(\.text) == [(s.welcome("Ann"))])
            #expect(try await world.subscriber(user.id)?.language == language)

            let askTopic = try await world.send("/subscribe", as: user)
            #expect(askTopic.count == 1)
            #expect(askTopic.first?.text == ((s.askTopic)))
            let popular = TestUpdates.buttons(in: askTopic.first).compactMap(\.callbackData).filter { $0.hasPrefix("tp:") }
            #expect(popular.count == 8)

            let askSlot = try await world.send("  Electric   Cars ", as: user)
            #expect(askSlot.map(\.text) == [(s.askSlot("electric cars"))])
            #expect(try await world.conversation(user.id)?.step == "subscribe.slot")

            let slot = try await world.press("sl:0800", on: askSlot.first, as: user)
            #expect(slot.answer != nil)
            #expect(slot.answer?.text == nil)
            #expect(slot.replies.map(\.text) == [(s.askZone)])

            let summary = try await world.send("+3", as: user)
            #expect(summary.count == 1)
            let text = try #require(summary.first?.text)
            #expect(text.hasPrefix((s.subscribed("electric cars", "08:00", "UTC+03:00"))))
            #expect(text.contains(s.language == .en ? "Next digest:" : "Следующая подборка:"))
            let stored = try #require(try await world.subscriber(user.id))
            #expect(stored.topics == [Topic("electric cars")!])
            #expect(stored.slots == [Slot("08:00")!])
            #expect(stored.timeZone == "UTC+03:00")
            #expect(stored.status == .active)
            #expect(try await world.conversation(user.id)?.step == "idle")

            let undoData = try #require(TestUpdates.button(s.undoButton, in: summary.first))
            let undo = try await world.press(undoData, on: summary.first, as: user)
            #expect(undo.answer?.text == s.done)
            #expect(undo.replies.map(\.text) == [(s.undone("electric cars"))])
            let reverted = try #require(try await world.subscriber(user.id))
            #expect(reverted.topics.isEmpty && reverted.slots.isEmpty && reverted.timeZone == nil)

            let again = try await world.press(undoData, on: summary.first, as: user)
            #expect(again.answer?.text == s.nothingToUndo)
            #expect(again.replies.isEmpty)
        }
    }

    @Test(arguments: ChatMode.allCases, Language.allCases)
    func popularTopicTypedSlotZoneButtonThenSecondTopicKeepsTimes(_ mode: ChatMode, _ language: Language) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), language.rawValue)
            let s = ChatStrings.forLanguage(language)
            let popular = try #require(world.configuration.popularTopics(for: language).first)

            let askTopic = try await world.send("/subscribe", as: user)
            let chosen = try await world.press("tp:" + popular.name, on: askTopic.first, as: user)
            #expect(chosen.replies.map(\.text) == [(s.askSlot(popular.name))])
            let askZone = try await world.send("7:45", as: user)
            #expect(askZone.map(\.text) == [(s.askZone)])
            let zoneData = try #require(TestUpdates.button("Berlin", in: askZone.first))
            let summary = try await world.press(zoneData, on: askZone.first, as: user)
            #expect(summary.replies.count == 1)
            #expect(summary.replies.first?.text.hasPrefix((s.subscribed(popular.name, "07:45", "Europe/Berlin"))) == true)

            // The zone is known now: the second topic asks topic and time only, and may keep the times.
            let askTopic2 = try await world.send("/subscribe", as: user)
            #expect(!TestUpdates.buttons(in: askTopic2.first).contains { $0.callbackData == "tp:" + popular.name })
            let askSlot2 = try await world.send("/subscribe Ai", as: user)
            #expect(askSlot2.map(\.text) == [(s.askSlot("ai"))])
            let keep = try #require(TestUpdates.button(s.keepSlotsButton("07:45"), in: askSlot2.first))
            let summary2 = try await world.press(keep, on: askSlot2.first, as: user)
            #expect(summary2.replies.first?.text.hasPrefix((s.subscribed("ai", "07:45", "Europe/Berlin"))) == true)
            let stored = try #require(try await world.subscriber(user.id))
            #expect(stored.topics == [Topic("ai")!, popular].sorted())
            #expect(stored.slots == [Slot("07:45")!])
        }
    }

    @Test(arguments: ChatMode.allCases)
    func limitsAreEnforcedWithAClearMessage(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let s = ChatStrings.forLanguage(.en)
            let topics = (1...10).map { Topic("topic \($0)")! }
            try await world.store.upsert(Subscriber(id: user.id, chatID: user.id, timeZone: "UTC",
                                                    slots: ["06:00", "07:00", "08:00", "09:00", "10:00", "11:00"].compactMap { Slot($0) },
                                                    topics: topics))
            #expect(try await world.send("/subscribe", as: user).map(\.text) == [(s.topicLimitReached(10))])
            #expect(try await world.conversation(user.id)?.step == "idle")

            _ = try await world.send("/unsubscribe topic 10", as: user)
            let askSlot = try await world.send("/subscribe " + String(repeating: "a", count: 64), as: user)
            #expect(askSlot.map(\.text) == [(s.askSlot(String(repeating: "a", count: 64)))])
            let full = try await world.send("12:00", as: user)
            #expect(full.map(\.text) == [(s.slotLimitReached(6))])
            #expect(try await world.conversation(user.id)?.step == "subscribe.slot")
            let saved = try await world.send("08:00", as: user)
            #expect(saved.first?.text.hasPrefix("✅") == true)
            #expect(try await world.subscriber(user.id)?.topics.count == 10)
        }
    }
}
