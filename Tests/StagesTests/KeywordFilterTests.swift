import Testing
import Core
@testable import Stages

@Suite struct KeywordFilterTests {
    func article(_ title: String, _ summary: String = "") -> Article {
        Article(title: title, url: "https://example.com", summary: summary, sourceName: "X", origin: "gnews")
    }

    @Test func includeKeepsOnlyMatchesCaseInsensitively() {
        let filter = KeywordFilter(include: ["Swift", "вакансии"])
        #expect(filter.accepts(article("SWIFT 6 is out")))
        #expect(filter.accepts(article("Nothing here", "new swiftly things")))
        #expect(filter.accepts(article("ВАКАНСИИ недели")))
        #expect(!filter.accepts(article("Kotlin news")))
    }

    @Test func excludeWinsOverInclude() {
        let filter = KeywordFilter(include: ["python"], exclude: ["snake", "Zoo"])
        #expect(filter.accepts(article("Python 3.14")))
        #expect(!filter.accepts(article("Python snake escapes")))
        #expect(!filter.accepts(article("Python", "seen at the zoo")))
    }

    @Test func emptyFilterKeepsEverything() {
        let filter = KeywordFilter(include: [" ", ""], exclude: [])
        #expect(filter.isEmpty)
        #expect(filter.filter([article("a"), article("b")]).count == 2)
    }

    @Test func automatonFindsOverlappingAndSuffixPatterns() {
        let automaton = try! #require(KeywordAutomaton(["he", "she", "hers", "his"]))
        #expect(automaton.occurs(in: "ushers"))
        #expect(automaton.occurs(in: "this"))
        #expect(automaton.occurs(in: "ahishers"))
        #expect(!automaton.occurs(in: "hxsxixr"))
        let nested = try! #require(KeywordAutomaton(["abcd", "bc"]))
        #expect(nested.occurs(in: "xabcx"))
        #expect(!nested.occurs(in: "xacbx"))
    }

    @Test func hostileKeywordsAreLiteral() {
        let filter = KeywordFilter(include: ["(a+)+$", ".*"])
        #expect(!filter.accepts(article(String(repeating: "a", count: 10_000) + "!")))
        #expect(filter.accepts(article("regex (a+)+$ in a title")))
    }
}
