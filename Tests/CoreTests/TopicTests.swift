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
}
