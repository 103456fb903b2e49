import Core
import Testing

@Suite("SlotRunKey and DeliveryKey")
struct SlotRunKeyTests {
    @Test func runKeyRoundTripsThroughItsName() throws {
        let key = SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)
        #expect(key.description == "daily/08:00/2026-11-26")
        #expect(SlotRunKey(key.description) == key)
        let nested = SlotRunKey(pipeline: "team/daily", slot: Slot("7:30")!, date: LocalDate("2026-01-02")!)
        #expect(SlotRunKey(nested.description) == nested)
    }

    @Test(arguments: ["daily", "daily/08:00", "daily/25:00/2026-11-26", "daily/08:00/2026-13-01", "/08:00/2026-11-26x"])
    func rejectsMalformedRunNames(_ text: String) {
        #expect(SlotRunKey(text) == nil)
    }

    @Test func runsOrderByDateThenSlot() {
        let day = LocalDate("2026-11-26")!
        let a = SlotRunKey(pipeline: "z", slot: Slot("20:00")!, date: day)
        let b = SlotRunKey(pipeline: "a", slot: Slot("08:00")!, date: day.next)
        let c = SlotRunKey(pipeline: "a", slot: Slot("08:00")!, date: day)
        #expect([a, b, c].sorted() == [c, a, b])
    }

    @Test func deliveryKeyNamesUserSlotDateAndPart() {
        let key = DeliveryKey(userID: 42, slot: Slot("08:00")!, date: LocalDate("2026-11-26")!, part: 2)
        #expect(key.description == "42:08:00:2026-11-26:2")
    }

    @Test func subscribersKeepSlotsAndTopicsSortedAndUnique() {
        let subscriber = Subscriber(id: 1, chatID: 1, slots: [Slot("19:30")!, Slot("08:00")!, Slot("8:00")!],
                                    topics: [Topic("rust")!, Topic("AI")!, Topic(" ai ")!])
        #expect(subscriber.slots.map(\.description) == ["08:00", "19:30"])
        #expect(subscriber.topics.map(\.name) == ["ai", "rust"])
    }
}
