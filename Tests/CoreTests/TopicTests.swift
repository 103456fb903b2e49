import Core
import Foundation
import Testing

@Suite("Topic")
struct TopicTests {
    @Test(arguments: [
        ("python", "python"), ("  Python ", "python"), ("Machine   Learning", "machine learning"),
        ("\tAI\n", "ai"), ("ПИТОН", "питон"), ("C++", "c++"), ("new\nline  topic", "new line topic"),
    ])
    func normalises(_ raw: String, _ expected: String) throws {
        #expect(try #require(Topic(raw)).name == expected)
    }

    @Test(arguments: ["", " ", "\n\t  "])
    func rejectsBlank(_ raw: String) {
        #expect(Topic(raw) == nil)
    }

    @Test func comparesByNormalisedForm() throws {
        #expect(Topic(" AI ") == Topic("ai"))
        #expect(Set([Topic("Rust")!, Topic("rust ")!, Topic("go")!]).count == 2)
        #expect([Topic("b")!, Topic("A")!].sorted() == [Topic("a")!, Topic("b")!])
    }

    @Test func codesAsTheNormalisedString() throws {
        let data = try JSONEncoder().encode([Topic("  Big  Data ")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["big data"]"#)
        #expect(try JSONDecoder().decode([Topic].self, from: Data(#"[" Swift "]"#.utf8)) == [Topic("swift")!])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Topic].self, from: Data(#"["  "]"#.utf8)) }
    }

    /// Names taken as they are (already normalised ASCII) and names that need the general path
    /// come out as the general path makes them: words split at any whitespace, joined by one
    /// space, lower-cased.
    @Test(arguments: ["ai", "machine learning", "c++ & rust", "a b c", "x", "Ai", "ai ", " ai", "a  b", "a\tb",
                      "é", "a\u{0301}", "über alles", "~!@#$%^&*()_+{}|:<>?", "A", "\u{00A0}ai"])
    func readsNamesAsTheGeneralPathWould(_ raw: String) throws {
        let words = raw.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let expected = words.isEmpty ? nil : words.joined(separator: " ").lowercased()
        #expect(Topic(raw)?.name == expected)
    }
}
