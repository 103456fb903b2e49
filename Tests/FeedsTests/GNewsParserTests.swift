import Feeds
import Foundation
import Testing

@Suite struct GNewsParserTests {
    private func parse(_ json: String) throws(FeedError) -> ParsedFeed {
        try FeedParser().parse(Array(json.utf8))
    }

    @Test func articlesMapToItems() throws {
        let feed = try FeedParser().parse(FixtureFiles.bytes("gnews-ok"))
        #expect(feed.format == .gnews)
        #expect(feed.totalCount == 1342)
        let first = try #require(feed.items.first)
        #expect(first.imageURL?.absoluteString == "https://www.example-tech.com/images/o5.jpg")
        #expect(first.sourceURL?.absoluteString == "https://www.example-tech.com")
        #expect(first.guid == "https://www.example-tech.com/2026/11/26/o5-benchmarks")
        #expect(first.guidIsPermaLink)
        #expect(feed.items[1].imageURL == nil)
        #expect(feed.items[2].sourceURL == nil)
    }

    @Test func errorListBecomesTheDetail() {
        #expect(throws: FeedError(.gnewsError, detail: "quota spent; try tomorrow")) {
            try parse(#"{"errors": ["quota spent", "try tomorrow"]}"#)
        }
    }

    @Test func errorObjectListsFieldsInOrder() {
        #expect(throws: FeedError(.gnewsError, detail: "apikey: invalid; q: required")) {
            try parse(#"{"errors": {"q": "required", "apikey": "invalid"}}"#)
        }
    }

    @Test func errorFixturesAreGNewsErrors() throws {
        for name in ["gnews-error-list", "gnews-error-object"] {
            do {
                _ = try FeedParser().parse(FixtureFiles.bytes(name))
                Issue.record("\(name) parsed")
            } catch let error as FeedError {
                #expect(error.kind == .gnewsError)
                #expect(error.description.hasPrefix("GNews error: "))
            }
        }
    }

    @Test func malformedOrForeignJSONIsInvalid() {
        for json in [#"{"articles": [}"#, #"{"status": "ok"}"#, #"[{"title": "x"}]"#, #"{"articles": "none"}"#] {
            #expect(throws: FeedError.self, "\(json)") { try parse(json) }
            #expect((try? parse(json)) == nil)
            do { _ = try parse(json) } catch { #expect(error.kind == .invalidJSON, "\(json)") }
        }
    }

    @Test func badArticlesAreSkippedWithWarnings() throws {
        let feed = try parse(#"""
        {"totalArticles": 3, "articles": [
          "not an object",
          {"title": "", "url": null},
          {"title": "kept", "url": "ftp://files.example/x", "publishedAt": "2026-11-26T08:00:00Z"}
        ]}
        """#)
        #expect(feed.items.map(\.title) == ["kept"])
        #expect(feed.items[0].link == nil)
        #expect(feed.warnings.count == 3)
    }

    @Test func byteOrderMarkBeforeJSONIsAccepted() throws {
        let feed = try FeedParser().parse([0xEF, 0xBB, 0xBF] + Array(#"{"totalArticles":0,"articles":[]}"#.utf8))
        #expect(feed.items.isEmpty)
        #expect(feed.hasByteOrderMark)
    }
}
