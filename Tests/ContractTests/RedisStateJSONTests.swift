import Core
import Foundation
import Testing
@testable import RedisBackend

/// The Redis store's hand-written state JSON is the Codable form byte for byte, and reads back
/// both its own layout and any other JSON of the same state.
@Suite("Redis conversation state JSON")
struct RedisStateJSONTests {
    static let states = [
        ConversationState(step: "idle"),
        ConversationState(step: "idle", lastUpdateID: 1_764_500_000_000_000_123),
        ConversationState(step: "subscribe.slot", data: [
            "topic": "Python & <AI> \"ü\" \\ / \n\t\u{1}", "slot": "08:00", "keep_slots": "1", "touched": "1800000000.25",
            "digest_at": "1799999999.5", "lease": "k3x/9@1800000030000",
        ], lastUpdateID: 42),
        ConversationState(step: "шаг 🚀", data: ["": ""], lastUpdateID: -1),
    ]

    @Test(arguments: states)
    func handWrittenBytesEqualTheCodableForm(_ state: ConversationState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(RedisStateJSON.encode(state) == Array(try encoder.encode(state)))
    }

    @Test(arguments: states)
    func roundTrips(_ state: ConversationState) throws {
        #expect(try RedisStateJSON.decode(RedisStateJSON.encode(state)) == state)
    }

    /// Records of earlier versions (escaped slashes), or any other layout, take the general path.
    @Test(arguments: states)
    func readsOtherLayouts(_ state: ConversationState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        #expect(try RedisStateJSON.decode(Array(try encoder.encode(state))) == state)
        #expect(try RedisStateJSON.decode(Array(try JSONEncoder().encode(state))) == state)
    }

    @Test func rejectsWhatIsNotAState() {
        #expect(throws: (any Error).self) { try RedisStateJSON.decode(Array(#"{"data":{}}"#.utf8)) }
    }
}
