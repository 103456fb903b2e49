import Core
/// Aho–Corasick over the UTF-8 bytes of lower-cased keywords: `occurs(in:)` reads the text once,
/// in time linear in its length, for any number of keywords. Matching bytes of lower-cased
/// strings matches lower-cased characters, because UTF-8 is self-synchronising.
struct KeywordAutomaton: Sendable {
    /// Transitions as a dense table, 256 entries per state; complete (failure links folded in).
    private let next: [Int32]
    private let accepting: [Bool]

    /// Nil when there is no non-empty keyword.
    init?(_ keywords: [String]) {
        let patterns = keywords.map { Array($0.trimmingWhitespace().lowercased().utf8) }.filter { !$0.isEmpty }
        guard !patterns.isEmpty else { return nil }
        // Trie.
        var goto: [[UInt8: Int]] = [[:]]
        var accepting = [false]
        for pattern in patterns {
            var state = 0
            for byte in pattern {
                if let target = goto[state][byte] {
                    state = target
                } else {
                    goto.append([:])
                    accepting.append(false)
                    goto[state][byte] = goto.count - 1
                    state = goto.count - 1
                }
            }
            accepting[state] = true
        }
        // Breadth-first: failure links, then the complete transition table.
        let count = goto.count
        var next = [Int32](repeating: 0, count: count * 256)
        var fail = [Int](repeating: 0, count: count)
        var queue: [Int] = []
        for (byte, target) in goto[0] {
            next[Int(byte)] = Int32(target)
            queue.append(target)
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            accepting[state] = accepting[state] || accepting[fail[state]]
            for byte in 0..<256 {
                if let target = goto[state][UInt8(byte)] {
                    fail[target] = Int(next[fail[state] * 256 + byte])
                    next[state * 256 + byte] = Int32(target)
                    queue.append(target)
                } else {
                    next[state * 256 + byte] = next[fail[state] * 256 + byte]
                }
            }
        }
        self.next = next
        self.accepting = accepting
    }

    /// Whether any keyword occurs in `text` (already lower-cased).
    func occurs(in text: String) -> Bool {
        var state = 0
        for byte in text.utf8 {
            state = Int(next[state * 256 + Int(byte)])
            if accepting[state] { return true }
        }
        return false
    }
}
