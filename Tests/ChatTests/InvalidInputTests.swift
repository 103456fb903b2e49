import Core
import Foundation
import Telegram
import TelegramSim
import Testing
@testable import Chat

/// Every invalid answer gets its own localised re-prompt, and the flow stays where it was.
@Suite("Invalid input")
struct InvalidInputTests {
    @Test(arguments: ChatMode.allCases, Language.allCases)
    func subscribeStepsRepromptAndKeepTheirState(_ mode: ChatMode, _ language: Language) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), language.rawValue)
            let s = ChatStrings.forLanguage(language)
            try await world.store.upsert(Subscriber(id: user.id, chatID: user.id, language: language, topics: [Topic("ai")!]))

            _ = try await world.send("/subscribe", as: user)
            #expect(try await world.send("!!! ???", as: user).map(\.text) == [s.topicInvalid])
            #expect(try await world.send(String(repeating: "я", count: 65), as: user).map(\.text) == [s.topicTooLong(64)])
            #expect(try await world.send("  AI ", as: user).map(\.text) == [s.topicAlreadySubscribed("ai")])
            #expect(try await world.send(nil, as: user).map(\.text) == [s.textExpected])
            #expect(try await world.conversation(user.id)?.step == "subscribe.topic")

            _ = try await world.send("R&D <labs>", as: user)
            let slotState = try #require(try await world.conversation(user.id))
            #expect(slotState.step == "subscribe.slot" && slotState.data["topic"] == "r&d <labs>")
            for wrong in ["25:00", "8.00", "noon", "08:0", "-1:00"] {
                let reply = try await world.send(wrong, as: user)
                #expect(reply.map(\.text) == [s.slotInvalid], "\(wrong)")
                #expect(TestUpdates.buttons(in: reply.first).contains { $0.callbackData == "sl:0800" })
            }
            #expect(try await world.conversation(user.id)?.data["topic"] == "r&d <labs>")

            _ = try await world.send("08:30", as: user)
            for wrong in ["Mars/Olympus", "UTC+15", "+3:07", "Berlin"] {
                #expect(try await world.send(wrong, as: user).map(\.text) == [s.zoneInvalid], "\(wrong)")
            }
            let zoneState = try #require(try await world.conversation(user.id))
            #expect(zoneState.step == "subscribe.zone" && zoneState.data["slot"] == "08:30")

            let summary = try await world.send("UTC-05:30", as: user)
            #expect(summary.first?.text.hasPrefix(s.subscribed("r&amp;d &lt;labs&gt;", "08:30", "UTC-05:30")) == true)
        }
    }

    @Test(arguments: ChatMode.allCases, Language.allCases)
    func otherStepsAndCommandsReprompt(_ mode: ChatMode, _ language: Language) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next(), language.rawValue)
            let s = ChatStrings.forLanguage(language)

            #expect(try await world.send("hello there", as: user).map(\.text) == [s.idleText])
            #expect(try await world.send("/frobnicate", as: user).map(\.text) == [s.unknownCommand])
            #expect(try await world.send("/help", as: user).map(\.text) == [s.help])
            #expect(try await world.send("/unsubscribe <b>ghost</b>", as: user).map(\.text)
                    == [s.notSubscribed("&lt;b&gt;ghost&lt;/b&gt;")])

            _ = try await world.send("/time", as: user)
            #expect(try await world.send("whenever", as: user).map(\.text) == [s.timeInvalid])
            let menu = try await world.send("/time", as: user)
            let zone = try await world.press("tm:zone", on: menu.first, as: user)
            #expect(zone.replies.map(\.text) == [s.askZone])
            #expect(try await world.send("Atlantis/Capital", as: user).map(\.text) == [s.zoneInvalid])
            #expect(try await world.conversation(user.id)?.step == "time.zone")

            #expect(try await world.send("/lang klingon", as: user).map(\.text) == [s.languageInvalid])
            #expect(try await world.send("elvish", as: user).map(\.text) == [s.languageInvalid])
            #expect(try await world.conversation(user.id)?.step == "lang")
            let other: Language = language == .en ? .ru : .en
            let switched = try await world.send(other.rawValue, as: user)
            #expect(switched.map(\.text) == [ChatStrings.forLanguage(other).languageSet])
            #expect(try await world.subscriber(user.id)?.language == other)
            #expect(try await world.send("/help", as: user).map(\.text) == [ChatStrings.forLanguage(other).help])
        }
    }
}
