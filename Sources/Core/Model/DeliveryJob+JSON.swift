public import Foundation

/// The `deliver` queue's wire format, written and read by hand on the hot paths (fan-out writes
/// one payload per message, the send loop reads it back).
///
/// The bytes are exactly what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes
/// (tests hold the two together), so the format stays plain, stable JSON; reading takes the fast
/// path for that layout and falls back to `JSONDecoder` for any other (a payload written by an
/// older version, by hand, or with whitespace).
extension DeliveryJob {
    /// The payload: sorted keys, slashes unescaped, no whitespace.
    public func jsonPayload() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 192)
        out += #"{"chatID":"#.utf8
        JSONStringWriter.append(chatID, to: &out)
        out += #","key":{"date":"#.utf8
        JSONStringWriter.append(key.date.description, to: &out)
        out += #","part":"#.utf8
        JSONStringWriter.append(Int64(key.part), to: &out)
        out += #","slot":"#.utf8
        JSONStringWriter.append(key.slot.description, to: &out)
        out += #","userID":"#.utf8
        JSONStringWriter.append(key.userID, to: &out)
        out += #"},"kind":"#.utf8
        JSONStringWriter.append(kind.rawValue, to: &out)
        if let run {
            out += #","run":{"date":"#.utf8
            JSONStringWriter.append(run.date.description, to: &out)
            out += #","pipeline":"#.utf8
            JSONStringWriter.append(run.pipeline, to: &out)
            out += #","slot":"#.utf8
            JSONStringWriter.append(run.slot.description, to: &out)
            out += "}".utf8
        }
        out += #","text":"#.utf8
        JSONStringWriter.append(text, to: &out)
        out += "}".utf8
        return Data(out)
    }

    /// Reads a payload: the layout `jsonPayload()` writes directly, anything else with
    /// `JSONDecoder` (which throws for what is not a delivery job).
    public init(jsonPayload payload: Data) throws {
        if let job = payload.withUnsafeBytes({ Self.scan($0) }) {
            self = job
        } else {
            self = try JSONDecoder().decode(DeliveryJob.self, from: payload)
        }
    }

    private static func scan(_ bytes: UnsafeRawBufferPointer) -> DeliveryJob? {
        var scanner = JSONScanner(bytes)
        guard scanner.literal(#"{"chatID":"#), let chatID = scanner.int64(),
              scanner.literal(#","key":{"date":"#), let date = scanner.string().flatMap({ LocalDate($0) }),
              scanner.literal(#","part":"#), let part = scanner.int64().flatMap({ Int(exactly: $0) }),
              scanner.literal(#","slot":"#), let slot = scanner.string().flatMap({ Slot($0) }),
              scanner.literal(#","userID":"#), let userID = scanner.int64(),
              scanner.literal(#"},"kind":"#), let kind = scanner.string().flatMap({ Kind(rawValue: $0) }) else { return nil }
        var run: SlotRunKey?
        if scanner.literal(#","run":{"date":"#) {
            guard let runDate = scanner.string().flatMap({ LocalDate($0) }),
                  scanner.literal(#","pipeline":"#), let pipeline = scanner.string(),
                  scanner.literal(#","slot":"#), let runSlot = scanner.string().flatMap({ Slot($0) }),
                  scanner.literal("}") else { return nil }
            run = SlotRunKey(pipeline: pipeline, slot: runSlot, date: runDate)
        }
        guard scanner.literal(#","text":"#), let text = scanner.string(), scanner.literal("}"), scanner.atEnd else { return nil }
        return DeliveryJob(kind: kind, key: DeliveryKey(userID: userID, slot: slot, date: date, part: part), run: run,
                           chatID: chatID, text: text)
    }
}
