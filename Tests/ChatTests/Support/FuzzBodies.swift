import Foundation

/// Deterministic random request bodies for the webhook fuzz test: random bytes, random JSON,
/// and valid updates mutated by flipping, cutting, splicing and retyping.
struct FuzzBodies {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    static let seeds: [String] = [
        #"{"update_id":1,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A","language_code":"ru"},"chat":{"id":7,"type":"private"},"date":1,"text":"/subscribe"}}"#,
        #"{"update_id":2,"callback_query":{"id":"q","from":{"id":7,"is_bot":false,"first_name":"A"},"message":{"message_id":3,"chat":{"id":7,"type":"private"},"date":0},"chat_instance":"c","data":"sl:0800"}}"#,
        #"{"update_id":3,"my_chat_member":{"chat":{"id":7,"type":"private"},"from":{"id":7,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"member","user":{"id":1,"is_bot":true,"first_name":"b"}},"new_chat_member":{"status":"kicked","user":{"id":1,"is_bot":true,"first_name":"b"}}}}"#,
        #"{"update_id":4,"poll":{"id":"1"}}"#,
    ]

    static let fragments = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e309", "\"update_id\"", "\\u0000",
                            "\u{FFFF}", "💥", "9223372036854775808", "{\"update_id\":", "\"message\":{}", "\"text\":5"]

    mutating func body() -> Data {
        switch below(6) {
        case 0:
            return Data((0..<below(512)).map { _ in UInt8(truncatingIfNeeded: next()) })
        case 1:
            return Data((0..<below(30)).map { _ in Self.fragments[below(Self.fragments.count)] }.joined().utf8)
        case 2:
            var bytes = Array(Self.seeds[below(Self.seeds.count)].utf8)
            for _ in 0..<(1 + below(4)) where !bytes.isEmpty {
                bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: next())
            }
            return Data(bytes)
        case 3:
            let seed = Array(Self.seeds[below(Self.seeds.count)].utf8)
            return Data(seed.prefix(below(seed.count)))
        case 4:
            var text = Self.seeds[below(Self.seeds.count)]
            let fragment = Self.fragments[below(Self.fragments.count)]
            let index = text.index(text.startIndex, offsetBy: below(text.count))
            text.insert(contentsOf: fragment, at: index)
            return Data(text.utf8)
        default:
            // Valid JSON of the right shape with random values: some decode and are applied.
            let id = Int64(bitPattern: next()) % 1_000_000
            let chat = Int64(below(50)) - 5
            let texts = ["/start", "/subscribe", "ai", "08:00", "+3", "/cancel", "/digest", "/topics", "", "/lang ru"]
            return Data(#"{"update_id":\#(id),"message":{"message_id":\#(below(999)),"from":{"id":\#(chat),"is_bot":false,"first_name":"F"},"chat":{"id":\#(chat),"type":"private"},"date":0,"text":"\#(texts[below(texts.count)])"}}"#.utf8)
        }
    }
}
