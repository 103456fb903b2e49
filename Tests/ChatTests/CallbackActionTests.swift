import Core
import Telegram
import Testing
@testable import Chat

@Suite("CallbackAction")
struct CallbackActionTests {
    static let longCyrillic = Topic(String(repeating: "ж", count: 64))!

    static let actions: [CallbackAction] = [
        .topic(Topic("технологии")!), .slot(Slot("08:00")!), .keepSlots, .zone("America/Argentina/Buenos_Aires"),
        .zone("UTC+05:30"), .toggleSlot(Slot("23:45")!), .chooseZone, .remove(topicHash: CallbackAction.hash(longCyrillic)),
        .undo(topicHash: CallbackAction.hash(longCyrillic), slot: Slot("07:15")!, addedTopic: true, addedSlot: true, setZone: true),
        .undo(topicHash: CallbackAction.hash(Topic("ai")!), slot: nil, addedTopic: true, addedSlot: false, setZone: false),
        .language(.ru), .cancel,
    ]

    @Test(arguments: actions)
    func roundTripsWithinTelegramsLimit(_ action: CallbackAction) {
        #expect(TelegramLimits.isValidCallbackData(action.data))
        #expect(CallbackAction(data: action.data) == action)
    }

    @Test func slotsTravelAsFourDigits() {
        let pairs = [("00:00", "0000"), ("00:05", "0005"), ("01:30", "0130"), ("09:00", "0900"), ("23:59", "2359")]
        for (slot, compact) in pairs {
            #expect(CallbackAction.slot(Slot(slot)!).data == "sl:" + compact)
            #expect(CallbackAction.toggleSlot(Slot(slot)!).data == "ts:" + compact)
            #expect(CallbackAction(data: "sl:" + compact) == .slot(Slot(slot)!))
        }
    }

    @Test(arguments: ["", "x", "tp:", "sl:2500", "sl:08:00", "tz:Mars/Olympus", "rm:XYZ", "rm:1234567", "un:12345678:0800",
                      "un:12345678:0800:q", "lg:de", "tm:slot", String(repeating: "a", count: 65), "cx:1"])
    func rejectsGarbageAndTampering(_ data: String) {
        #expect(CallbackAction(data: data) == nil)
    }

    @Test func topicsOfAnyLengthTravelAsAShortHash() {
        let hash = CallbackAction.hash(Self.longCyrillic)
        #expect(hash.utf8.count == 8)
        #expect(hash != CallbackAction.hash(Topic("ai")!))
        #expect(hash == CallbackAction.hash(Topic("  " + String(repeating: "Ж", count: 64))!))
    }

    @Test(arguments: Language.allCases)
    func everyKeyboardButtonFits(_ language: Language) {
        let options = UpdateRouter.Configuration()
        let keyboards = ChatKeyboards(strings: .forLanguage(language), options: options, rows: ChatKeyboardRows(options))
        let topics = (0..<10).map { Topic("\($0) " + String(repeating: "ы", count: 60))! }
        let markups = [keyboards.topics(excluding: []), keyboards.slots(current: [Slot("06:59")!]), keyboards.zones(),
                       keyboards.timeMenu(current: [Slot("05:05")!]), keyboards.remove(topics), keyboards.languages(),
                       keyboards.undo(Self.actions[8])]
        for button in markups.flatMap({ $0.inlineKeyboard.joined() }) {
            let data = try! #require(button.callbackData)
            #expect(TelegramLimits.isValidCallbackData(data), "\(data)")
            #expect(CallbackAction(data: data) != nil, "\(data)")
        }
        #expect(keyboards.remove(topics).inlineKeyboard.count == 10)
        // The rows made once per router: every common time and zone, then the per-language rows.
        #expect(keyboards.zones().inlineKeyboard.joined().count == options.commonTimeZones.count + 1)
        #expect(keyboards.slots(current: [Slot("06:59")!]).inlineKeyboard.joined().count == options.commonSlots.count + 2)
        #expect(keyboards.zones().inlineKeyboard.last?.first?.text == ChatStrings.forLanguage(language).cancelButton)
    }
}
