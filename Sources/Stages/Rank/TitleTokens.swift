/// The distinctive words of a headline, used to recognise one story told by several
/// publishers: lower-cased runs of letters and digits, without the most common short words of
/// English and Russian, which say nothing about the story.
struct TitleTokens: Sendable, Hashable {
    let words: Set<String>

    init(_ title: String) {
        var words = Set<String>()
        var current = ""
        func flush() {
            while current.last == "." { current.removeLast() }
            if !current.isEmpty, !Self.stopWords.contains(current), current.count > 1 || current.first!.isNumber {
                words.insert(current)
            }
            current = ""
        }
        for character in title.lowercased() {
            // "3.14" stays one word: a dot directly after a digit is kept (and dropped again at the end).
            if character.isLetter || character.isNumber || (character == "." && current.last?.isNumber == true) {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        self.words = words
    }

    /// Jaccard similarity |A ∩ B| / |A ∪ B|; 0 when both are empty.
    func similarity(to other: TitleTokens) -> Double {
        guard !words.isEmpty || !other.words.isEmpty else { return 0 }
        let (small, large) = words.count <= other.words.count ? (words, other.words) : (other.words, words)
        var shared = 0
        for word in small where large.contains(word) { shared += 1 }
        return Double(shared) / Double(words.count + other.words.count - shared)
    }

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "at", "by", "with", "from",
        "is", "are", "was", "were", "be", "as", "it", "its", "that", "this", "after", "over", "new",
        "и", "в", "во", "на", "с", "со", "по", "о", "об", "к", "ко", "из", "за", "от", "до", "для",
        "не", "что", "как", "а", "но", "у",
    ]
}
