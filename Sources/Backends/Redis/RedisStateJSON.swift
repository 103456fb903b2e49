import Core
import Foundation

/// The conversation state as the Redis store keeps it, written and read by hand: the bytes of
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` (a test holds the two together),
/// read back with a strict scanner that falls back to `JSONDecoder` for any other layout (records
/// written by an older process included).
///
/// Why: the chat front claims and saves a state per update; the generic coders cost more than the
/// rest of the Redis round trip's client side. The claim script relies on this compact layout
/// (`"data":{`, `"lastUpdateID":digits`).
enum RedisStateJSON {
    static func encode(_ state: ConversationState) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + state.step.utf8.count + state.data.count * 32)
        out += #"{"data":{"#.utf8
        for (index, key) in state.data.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONStringWriter.append(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONStringWriter.append(state.data[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        if let last = state.lastUpdateID {
            out += #","lastUpdateID":"#.utf8
            JSONStringWriter.append(last, to: &out)
        }
        out += #","step":"#.utf8
        JSONStringWriter.append(state.step, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func decode(_ bytes: [UInt8]) throws -> ConversationState {
        if let state = bytes.withUnsafeBytes(scan) { return state }
        return try JSONDecoder().decode(ConversationState.self, from: Data(bytes))
    }

    /// The layout `encode` writes, or nil.
    private static func scan(_ bytes: UnsafeRawBufferPointer) -> ConversationState? {
        var scanner = JSONScanner(bytes)
        guard scanner.literal(#"{"data":{"#) else { return nil }
        var data: [String: String] = [:]
        if !scanner.literal("}") {
            repeat {
                guard let key = scanner.string(), scanner.literal(":"), let value = scanner.string() else { return nil }
                data[key] = value
            } while scanner.literal(",")
            guard scanner.literal("}") else { return nil }
        }
        var last: Int64?
        if scanner.literal(#","lastUpdateID":"#) {
            guard let value = scanner.int64() else { return nil }
            last = value
        }
        guard scanner.literal(#","step":"#), let step = scanner.string(), scanner.literal("}"), scanner.atEnd else { return nil }
        return ConversationState(step: step, data: data, lastUpdateID: last)
    }
}
