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

extension FanOutTests {
    /// The hand-written payload must stay byte-identical to what `JSONEncoder` would write.
    @Test(arguments: [
        "plain", "<b>a & b</b> / \"quoted\" \\ back", "tabs\tnew\nlines\r\u{8}\u{c}",
        String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }), "emoji 📰 · кириллица \u{2028}\u{2029} \u{7f}",
    ])
    func payloadMatchesJSONEncoder(text: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for job in [DeliveryJob(message: message(part: 1)), DeliveryJob(kind: .reply, key: message(part: 2).key, run: nil,
                                                                         chatID: -1001234567890, text: text)] {
            var job = job
            job.text = text
            job.run?.pipeline = "daily \"q\" / " + text
            let expected = try encoder.encode(job)
            let actual = try FanOut.encode(job)
            #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            #expect(try FanOut.decode(actual) == job)
        }
    }
}

extension FanOutTests {
    /// Payloads in another layout (whitespace, key order, escapes JSONEncoder does not write)
    /// still decode, through the general decoder.
    @Test func otherLayoutsStillDecode() throws {
        let payload = #"""
            { "kind": "digest", "text": "a\/b \u00e9 \ud83d\udcf0 \"q\"", "chatID": 7,
              "key": {"userID": 1, "slot": "08:00", "date": "2026-11-26", "part": 1} }
            """#
        let job = try FanOut.decode(Data(payload.utf8))
        #expect(job.text == "a/b é 📰 \"q\"")
        #expect(job.chatID == 7 && job.run == nil && job.key.part == 1)
        #expect(throws: (any Error).self) { try FanOut.decode(Data(#"{"chatID":1}"#.utf8)) }
    }
}
