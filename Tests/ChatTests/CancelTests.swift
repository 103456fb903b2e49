import Core
import Foundation
import Telegram
import TelegramSim
import Testing
@testable import Chat

/// `/cancel` (and the cancel button) leave every flow from every state, changing nothing.
@Suite("Cancel")
struct CancelTests {
    /// Commands that bring a fresh user (no time zone) to each state of a flow.
    static let paths: [(step: String, commands: [String])] = [
        ("subscribe.topic", ["/subscribe"]),
        ("subscribe.slot", ["/subscribe", "space"]),
        ("subscribe.zone", ["/subscribe", "space", "09:00"]),
        ("time.menu", ["/time"]),
        ("time.zone", ["/time", "button:tm:zone"]),
        ("lang", ["/lang"]),
    ]

    @Test(arguments: ChatMode.allCases, [0, 1, 2, 3, 4, 5])
    func cancelLeavesEachState(_ mode: ChatMode, _ path: Int) async throws {
        try await ChatWorld.with(mode) { world in
            let language: Language = path.isMultiple(of: 2) ? .en : .ru
            let user = TestUpdates.user(TestUpdates.next(), language.rawValue)
            let s = ChatStrings.forLanguage(language)
            let (step, commands) = Self.paths[path]
            try await reach(commands, world: world, user: user)
            #expect(try await world.conversation(user.id)?.step == step)
            let before = try await world.subscriber(user.id)

            #expect(try await world.send("/cancel", as: user).map(\.text) == [s.cancelled])
            #expect(try await world.conversation(user.id)?.step == "idle")
            #expect(try await world.subscriber(user.id) == before)
            #expect(try await world.send("/cancel", as: user).map(\.text) == [s.nothingToCancel])

            // The cancel button does the same; afterwards it is stale.
            let last = try await reach(commands, world: world, user: user)
            if let cancel = TestUpdates.button(s.cancelButton, in: last) {
                let pressed = try await world.press(cancel, on: last, as: user)
                #expect(pressed.replies.map(\.text) == [s.cancelled])
                let again = try await world.press(cancel, on: last, as: user)
                #expect(again.answer?.text == s.staleButton)
                #expect(again.replies.isEmpty)
            }
        }
    }

    @Test(arguments: ChatMode.allCases)
    func anotherCommandLeavesTheFlowToo(_ mode: ChatMode) async throws {
        try await ChatWorld.with(mode) { world in
            let user = TestUpdates.user(TestUpdates.next())
            let askSlot = try await world.send("/subscribe ai", as: user)
            #expect(try await world.send("/topics", as: user).map(\.text) == [ChatStrings.forLanguage(.en).noTopics])
            #expect(try await world.conversation(user.id)?.step == "idle")
            let stale = try await world.press("sl:0800", on: askSlot.first, as: user)
            #expect(stale.answer?.text == ChatStrings.forLanguage(.en).staleButton)
            #expect(stale.replies.isEmpty)
            #expect(try await world.subscriber(user.id)?.topics ?? [] == [])
        }
    }

    /// Runs the commands (`button:DATA` presses a button on the last reply); returns the last reply.
    @discardableResult
    private func reach(_ commands: [String], world: ChatWorld, user: User) async throws -> SimulatedMessage? {
        var last: SimulatedMessage?
        for command in commands {
            if command.hasPrefix("button:") {
                last = try await world.press(String(command.dropFirst(7)), on: last, as: user).replies.last
            } else {
                last = try await world.send(command, as: user).last
            }
        }
        return last
    }
}
