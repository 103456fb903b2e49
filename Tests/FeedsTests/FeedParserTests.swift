import Feeds
import Foundation
import Testing

@Suite struct FeedParserTests {
    private let parser = FeedParser()

    private func parse(_ text: String, url: String? = nil, charset: String? = nil) throws(FeedError) -> ParsedFeed {
        try parser.parse(Array(text.utf8), url: url.flatMap(URL.init(string:)), charset: charset)
    }

    private func kind(of bytes: [UInt8]) -> FeedError.Kind? {
        do {
            _ = try parser.parse(bytes)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func relativeLinksResolveAgainstTheFeedURL() throws {
        let feed = try parse("""
        <rss version="2.0"><channel><title>r</title><link>https://site.example.com/</link>
        <item><title>a</title><link>../story/1?x=1#top</link><guid>/permalink/1</guid></item>
        <item><title>b</title><link>//cdn.example.net/b</link></item>
        </channel></rss>
        """, url: "https://feeds.example.org/news/world/rss.xml")
        #expect(feed.items.map { $0.link?.absoluteString } == [
            "https://feeds.example.org/news/story/1?x=1#top", "https://cdn.example.net/b",
        ])
        #expect(feed.items[0].guid == "/permalink/1")
        #expect(feed.items[0].guidIsPermaLink)
        #expect(feed.link?.absoluteString == "https://site.example.com/")
    }

    @Test func xmlBaseOverridesTheFeedURL() throws {
        let feed = try parse("""
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://other.example/base/">
          <entry><title>a</title><link href="x"/></entry>
          <entry xml:base="sub/"><title>b</title><link href="y"/></entry>
        </feed>
        """, url: "https://feeds.example.org/atom.xml")
        #expect(feed.items.map { $0.link?.absoluteString } == ["http://other.example/base/x", "http://other.example/base/sub/y"])
    }

    @Test func relativeLinkWithoutAnyBaseIsDroppedWithAWarning() throws {
        let feed = try parse("<rss version=\"2.0\"><channel><item><title>a</title><link>/only/a/path</link></item></channel></rss>")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].link == nil)
        #expect(feed.warnings == ["item 1: link dropped, not an absolute http(s) URL"])
    }

    @Test func rssItemFallsBackToAtomLinkAndSkipsEmptyItems() throws {
        let feed = try parse("""
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
        <item><title>a</title><atom:link rel="alternate" href="https://e.example/a"/></item>
        <item></item>
        <item/>
        <item><description>only a description</description></item>
        </channel></rss>
        """)
        #expect(feed.items.map(\.title) == ["a", ""])
        #expect(feed.items[0].link?.absoluteString == "https://e.example/a")
        #expect(feed.items[1].summary == "only a description")
        #expect(feed.warnings.filter { $0.contains("skipped") }.count == 2)
    }

    @Test func atomPrefersPublishedAndKeepsUpdated() throws {
        let feed = try parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>
        <updated>2026-11-26T09:00:00Z</updated><published>2026-11-26T08:00:00Z</published>
        <content src="https://e.example/body" type="text/html"/>
        <content type="application/octet-stream">AAAA</content>
        </entry></feed>
        """)
        let item = try #require(feed.items.first)
        #expect(item.published.map(FeedDate.iso8601UTC) == "2026-11-26T08:00:00Z")
        #expect(item.updated.map(FeedDate.iso8601UTC) == "2026-11-26T09:00:00Z")
        #expect(item.summary == "")
    }

    @Test func unknownNamespacedElementsDoNotConfuseFields() throws {
        let feed = try parse("""
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="urn:x"><channel>
        <item><media:title>wrong</media:title><title>right</title><x:link>https://wrong.example/</x:link>
        <link>https://right.example/</link><media:group><title>nested wrong</title></media:group></item>
        </channel></rss>
        """)
        #expect(feed.items.map(\.title) == ["right"])
        #expect(feed.items.first?.link?.absoluteString == "https://right.example/")
    }

    @Test func charsetHintAppliesOnlyWithoutADeclaration() throws {
        let russian = "Новости"
        let body = "<rss version=\"2.0\"><channel><title>\(russian)</title></channel></rss>"
        let cp1251 = try #require(body.data(using: .windowsCP1251))
        let hinted = try parser.parse(cp1251, charset: "windows-1251")
        #expect(hinted.title == russian)
        #expect(hinted.detectedEncoding == "windows-1251")
        #expect(hinted.declaredEncoding == nil)

        let unknown = try parser.parse(Data(body.utf8), charset: "x-no-such-charset")
        #expect(unknown.title == russian)
        #expect(unknown.detectedEncoding == "UTF-8")
        #expect(unknown.warnings == ["charset \"x-no-such-charset\" ignored: unsupported"])

        let declared = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body
        let ignored = try parser.parse(Data(declared.utf8), charset: "windows-1251")
        #expect(ignored.title == russian)
        #expect(ignored.detectedEncoding == "UTF-8")
    }

    @Test func utf16WithByteOrderMarkParses() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>Ünïcode ✓</title></channel></rss>"
        let data = try #require(text.data(using: .utf16LittleEndian))
        let feed = try parser.parse(Data([0xFF, 0xFE]) + data)
        #expect(feed.title == "Ünïcode ✓")
        #expect(feed.hasByteOrderMark)
        #expect(feed.detectedEncoding == "UTF-16LE")
    }

    @Test func leadingWhitespaceBeforeTheDeclarationIsTolerated() throws {
        let feed = try parse("\n\n  <?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>ws</title></channel></rss>")
        #expect(feed.title == "ws")
        let withBOM = try parser.parse([0xEF, 0xBB, 0xBF, 0x0A] + Array("<?xml version=\"1.0\"?><rss><channel><title>b</title></channel></rss>".utf8))
        #expect(withBOM.title == "b")
        #expect(withBOM.hasByteOrderMark)
    }

    @Test func inputsAreSniffedBeforeParsing() {
        #expect(kind(of: []) == .empty)
        #expect(kind(of: Array(" \r\n".utf8)) == .empty)
        #expect(kind(of: [0xEF, 0xBB, 0xBF]) == .empty)
        #expect(kind(of: [0x1F, 0x8B, 0x08, 0x00, 0x00]) == .notXML)
        #expect(kind(of: Array("<html><body>hi</body></html>".utf8)) == .htmlPage)
        #expect(kind(of: Array("<!-- c --><!doctype HTML><p>unclosed".utf8)) == .htmlPage)
        #expect(kind(of: Array("<body><p>x".utf8)) == .htmlPage)
        #expect(kind(of: Array("[1, 2]".utf8)) == .invalidJSON)
        #expect(kind(of: Array("{\"articles\": ".utf8)) == .invalidJSON)
        #expect(kind(of: Array("<feed><entry/></feed>".utf8)) == .unknownRoot)
        #expect(kind(of: Array("<?xml version=\"1.0\"?>".utf8)) == .malformed)
    }

    @Test func gzipInputIsNamedInTheError() {
        #expect(throws: FeedError(.notXML, detail: "gzip-compressed data")) {
            try parser.parse([0x1F, 0x8B, 0x08, 0x00])
        }
    }

    @Test func errorsCarryTheLineAndATerseDescription() throws {
        let bytes = try FixtureFiles.bytes("truncated")
        do {
            _ = try parser.parse(bytes)
            Issue.record("truncated feed parsed")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.line == 11)
            #expect(error.description == "malformed XML at line 11: truncated, the document ends inside <item>")
        }
        #expect(throws: FeedError(.unknownRoot, detail: "urlset (http://www.sitemaps.org/schemas/sitemap/0.9)")) {
            try parser.parse(FixtureFiles.bytes("unknown-root"))
        }
        #expect(throws: FeedError(.unsupportedEncoding, detail: "x-made-up-charset")) {
            try parser.parse(FixtureFiles.bytes("unsupported-encoding"))
        }
        #expect(FeedError(.htmlPage).description == "an HTML page, not a feed")
    }

    @Test func truncationMidTagAndOtherStructuralErrorsKeepLibxml2sMessage() {
        for (text, detail) in [
            ("<rss version=\"2.0\"><channel><title>a</title><item><title>b</title>", "truncated, the document ends inside <item>"),
            ("<rss version=\"2.0\"><channel><title>a</title><item><title>b</ti", "expected '>'"),
            ("<rss version=\"2.0\"><channel></rss>", "mismatch"),
            ("<rss version=\"2.0\"><channel/></rss><rss/>", "Extra content"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("parsed: \(text)")
            } catch {
                #expect(error.kind == .malformed)
                #expect(error.detail?.contains(detail) == true, "\(text): \(error)")
            }
        }
    }

    @Test func undefinedHTMLEntityIsAnErrorWithItsLine() {
        #expect(throws: FeedError.self) {
            try parse("<rss version=\"2.0\">\n<channel>\n<title>a&nbsp;b</title></channel></rss>")
        }
        do {
            _ = try parse("<rss version=\"2.0\">\n<channel>\n<title>a&nbsp;b</title></channel></rss>")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.line == 3)
            #expect(error.detail?.contains("nbsp") == true)
        }
    }

    @Test func concurrentParsesKeepTheirOwnErrors() async throws {
        // Each parse has its own libxml2 error handler: errors must never cross feeds.
        let names = ["rss2-basic", "truncated", "atom-xmlbase", "entity-bomb", "rss2-koi8-r", "unsupported-encoding", "xxe", "rss1-rdf"]
        let inputs = try names.map { ($0, try FixtureFiles.bytes($0)) }
        let serial = inputs.map { name, bytes in (name, describe(bytes)) }
        let concurrent = await withTaskGroup(of: (String, String).self) { group in
            for _ in 0..<8 {
                for (name, bytes) in inputs {
                    group.addTask { (name, describe(bytes)) }
                }
            }
            return await group.reduce(into: [(String, String)]()) { $0.append($1) }
        }
        let expected = Dictionary(uniqueKeysWithValues: serial)
        #expect(concurrent.count == names.count * 8)
        for (name, outcome) in concurrent {
            #expect(outcome == expected[name], "\(name)")
        }
    }
}

/// A stable summary of a parse outcome, for comparing runs.
private func describe(_ bytes: [UInt8]) -> String {
    do {
        let feed = try FeedParser().parse(bytes)
        return "\(feed.format) \(feed.items.map { "\($0.title)|\($0.link?.absoluteString ?? "-")" }) \(feed.warnings)"
    } catch {
        return "error \(error)"
    }
}
