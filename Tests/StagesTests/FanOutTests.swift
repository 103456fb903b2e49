import Foundation
import Testing
import Core
@testable import Stages

@Suite struct FanOutTests {
    let run = SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)

    func message(part: Int, delivered: Bool = false, failure: String? = nil) -> DigestMessage {
        DigestMessage(key: DeliveryKey(userID: 42, slot: run.slot, date: run.date, part: part), run: run, chatID: 4200,
                      parts: 2, text: "<b>hi</b> / part \(part)", urls: ["https://x.example/\(part)"],
                      deliveredAt: delivered ? Date(timeIntervalSince1970: 1) : nil, failure: failure)
    }

    @Test func oneStableJobPerUnsettledMessage() throws {
        let messages = [message(part: 1), message(part: 2), message(part: 3, delivered: true), message(part: 4, failure: "blocked")]
        let payloads = try FanOut.payloads(for: messages)
        #expect(payloads.count == 2)
        let job = try FanOut.decode(payloads[0])
        #expect(job == DeliveryJob(message: messages[0]))
        #expect(job.key.description == "42:08:00:2026-11-26:1")
        #expect(String(decoding: payloads[1], as: UTF8.self) ==
            #"{"chatID":4200,"key":{"date":"2026-11-26","part":2,"slot":"08:00","userID":42},"kind":"digest","run":{"date":"2026-11-26","pipeline":"daily","slot":"08:00"},"text":"<b>hi</b> / part 2"}"#)
        #expect(try FanOut.payloads(for: messages) == payloads)
    }
}
