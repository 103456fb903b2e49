import Core
import Foundation
import Testing

@Suite("Slot")
struct SlotTests {
    @Test(arguments: [("08:00", 8, 0), ("8:00", 8, 0), (" 23:59 ", 23, 59), ("00:00", 0, 0), ("12:05", 12, 5)])
    func parses(_ text: String, _ hour: Int, _ minute: Int) throws {
        let slot = try #require(Slot(text))
        #expect(slot.hour == hour && slot.minute == minute)
        #expect(slot.minuteOfDay == hour * 60 + minute)
    }

    @Test(arguments: ["24:00", "12:60", "1200", "12:5", "-1:00", "+8:00", "８:００", "", "12:00:00", "123:00", "ab:cd", "12 :00"])
    func rejects(_ text: String) {
        #expect(Slot(text) == nil)
    }

    @Test func rejectsOutOfRangeComponents() {
        #expect(Slot(hour: 24, minute: 0) == nil)
        #expect(Slot(hour: 0, minute: -1) == nil)
        #expect(Slot(hour: 23, minute: 59) != nil)
    }

    @Test func printsZeroPadded() {
        #expect(Slot(hour: 8, minute: 5)!.description == "08:05")
        #expect(Slot(hour: 19, minute: 30)!.description == "19:30")
    }

    @Test func ordersByTimeOfDay() {
        let slots = ["19:30", "8:00", "07:59"].compactMap(Slot.init).sorted()
        #expect(slots.map(\.description) == ["07:59", "08:00", "19:30"])
    }

    @Test func codesAsHHMM() throws {
        #expect(String(decoding: try JSONEncoder().encode([Slot("8:00")!]), as: UTF8.self) == #"["08:00"]"#)
        #expect(try JSONDecoder().decode([Slot].self, from: Data(#"["9:15"]"#.utf8)) == [Slot(hour: 9, minute: 15)!])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Slot].self, from: Data(#"["25:00"]"#.utf8)) }
    }

    @Test(arguments: [("08:00", "08:00"), ("  08:00\n", "08:00"), ("\u{00A0}Europe/Berlin\u{2003}", "Europe/Berlin"),
                      ("a b", "a b"), (" \t\r\n ", ""), ("", ""), ("x\u{0301}", "x\u{0301}"), ("/start\u{3000}", "/start"),
                      ("ж", "ж"), ("\n/help", "/help")])
    func trimsWhitespaceAtBothEnds(_ text: String, _ trimmed: String) {
        #expect(text.trimmingWhitespace() == trimmed)
        #expect(text[...].trimmingWhitespace() == trimmed)
    }
}
