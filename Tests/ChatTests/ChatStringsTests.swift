import Core
import Foundation
import Telegram
import Testing
@testable import Chat

@Suite("ChatStrings")
struct ChatStringsTests {
    /// Every text, rendered with hostile sample values escaped as the flows escape them.
    static func rendered(_ s: ChatStrings) -> [String] {
        let topic = TelegramHTML.escape("<b>R&D</b>")
        return [
            s.welcome(topic), s.welcomeBack(topic), s.welcomePaused(topic), s.help, s.unknownCommand, s.idleText,
            s.flowExpired, s.textExpected, s.askTopic, s.topicInvalid, s.topicTooLong(64), s.topicAlreadySubscribed(topic),
            s.topicLimitReached(10), s.askSlot(topic), s.keepSlotsButton("08:00"), s.slotInvalid, s.slotLimitReached(6),
            s.askZone, s.zoneInvalid, s.subscribed(topic, "08:00, 18:00", "Europe/Berlin"), s.nextDigestToday("08:00"),
            s.nextDigestTomorrow("08:00"), s.pausedNote, s.undoButton, s.undone(topic), s.nothingToUndo,
            s.topicsList([topic, "ai"], "08:00", "UTC"), s.noTopics, s.removeButton(topic), s.removed(topic),
            s.notSubscribed(topic), s.timeMenu("08:00", "UTC"), s.timeInvalid, s.zoneButton, s.slotAdded("07:00", "07:00"),
            s.slotRemoved("07:00", s.noSlots), s.zoneSet("UTC+03:00"), s.paused, s.alreadyPaused, s.resumed,
            s.alreadyActive, s.digestQueued, s.digestNoTopics, s.digestTooSoon(1), s.digestTooSoon(5), s.cancelled,
            s.nothingToCancel, s.cancelButton, s.chooseLanguage, s.languageSet, s.languageInvalid, s.staleButton, s.done,
        ]
    }

    @Test(arguments: Language.allCases)
    func everyTextIsValidTelegramHTML(_ language: Language) throws {
        let strings = ChatStrings.forLanguage(language)
        #expect(strings.language == language)
        for text in Self.rendered(strings) {
            #expect(!text.isEmpty)
            let length = try TelegramHTML.visibleLength(of: text)
            #expect(length <= TelegramLimits.maxMessageLength)
        }
        #expect(strings.staleButton.utf16.count <= TelegramLimits.maxCallbackAnswerLength)
    }

    @Test func languagesDiffer() {
        let english = Self.rendered(.forLanguage(.en)), russian = Self.rendered(.forLanguage(.ru))
        let same = zip(english, russian).filter { $0 == $1 && !$0.hasPrefix("✖") }
        #expect(same.isEmpty, "untranslated: \(same)")
    }

    @Test func russianPluralForms() {
        let forms = [1, 2, 5, 11, 14, 21, 22, 25, 101, 111].map { ChatStrings.plural($0, "минута", "минуты", "минут") }
        #expect(forms == ["минута", "минуты", "минут", "минут", "минут", "минута", "минуты", "минут", "минута", "минут"])
    }
}
