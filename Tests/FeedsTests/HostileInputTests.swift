import Feeds
import Foundation
import Testing

/// Feeds are untrusted: none may read a local file, expand entities without bound, or take
/// unbounded time or memory.
@Suite struct HostileInputTests {
    private func parse(_ text: String, configuration: FeedParser.Configuration = .init()) -> Result<ParsedFeed, FeedError> {
        Result { () throws(FeedError) -> ParsedFeed in
            try FeedParser(configuration: configuration).parse(Array(text.utf8))
        }
    }

    /// Every text the parse produced, to search for leaked content.
    private func allText(_ feed: ParsedFeed) -> String {
        ([feed.title ?? ""] + feed.warnings + feed.items.flatMap { [$0.title, $0.summary, $0.guid ?? "", $0.sourceName ?? ""] })
            .joined(separator: "\n")
    }

    @Test func externalEntityToEtcPasswdIsNotRead() throws {
        let feed = try FeedParser().parse(FixtureFiles.bytes("xxe"))
        let text = allText(feed)
        #expect(!text.contains("root:"))
        #expect(!text.contains("/bin/"))
        #expect(feed.items.first?.title == "Leak:")
        #expect(feed.warnings.contains { $0.contains("DTD entity declarations ignored") })
    }

    /// A file we control, so the test proves non-reading even where /etc/passwd is unusual.
    private func withSecretFile(_ body: (URL, String) throws -> Void) throws {
        let marker = "SECRET-\(UUID().uuidString)"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-xxe-\(UUID().uuidString).txt")
        try Data(marker.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        try body(url, marker)
    }

    @Test func externalGeneralEntityIsNotRead() throws {
        try withSecretFile { url, marker in
            let outcome = parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY leak SYSTEM "\(url.absoluteString)"> ]>
            <rss version="2.0"><channel><title>t &leak;</title>
            <item><title>x &leak;</title><description>&leak;</description><link>https://e.example/1</link></item>
            </channel></rss>
            """)
            let feed = try outcome.get()
            #expect(!allText(feed).contains(marker))
            #expect(feed.items.count == 1)
        }
    }

    @Test func externalDTDAndParameterEntityAreNotRead() throws {
        // The file is a DTD declaring an entity whose value is the marker: were the external
        // subset or the parameter entity loaded, `&leak;` would expand to it.
        let marker = "SECRET-\(UUID().uuidString)"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-xxe-\(UUID().uuidString).dtd")
        try Data("<!ENTITY leak \"\(marker)\">".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let body = "<rss version=\"2.0\"><channel><title>t &leak;</title><item><title>x &leak;</title><link>https://e.example/1</link></item></channel></rss>"
        for doctype in [
            "<!DOCTYPE rss SYSTEM \"\(url.absoluteString)\">",
            "<!DOCTYPE rss [ <!ENTITY % remote SYSTEM \"\(url.absoluteString)\"> %remote; ]>",
        ] {
            switch parse("<?xml version=\"1.0\"?>\n" + doctype + "\n" + body) {
            case .success(let feed): #expect(!allText(feed).contains(marker), "\(doctype)")
            case .failure(let error): #expect(!error.description.contains(marker), "\(doctype)")
            }
        }
    }

    @Test func networkEntityIsNotFetched() throws {
        // Nothing listens on port 9 (discard); a fetch attempt would be reported as a load
        // failure warning or hang, never silently succeed. NONET and the refusing loader
        // mean no attempt is made at all, so the parse is instant.
        let start = ContinuousClock.now
        let feed = try parse("""
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY net SYSTEM "http://127.0.0.1:9/x"> ]>
        <rss version="2.0"><channel><title>n &net;</title></channel></rss>
        """).get()
        #expect(feed.title == "n")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func billionLaughsIsRefusedQuickly() throws {
        let bytes = try FixtureFiles.bytes("entity-bomb")
        let start = ContinuousClock.now
        let outcome = Result { () throws(FeedError) -> ParsedFeed in try FeedParser().parse(bytes) }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(throws: FeedError.self) { try outcome.get() }
        if case .failure(let error) = outcome {
            #expect(error.kind == .entityLimit)
        }
    }

    @Test func quadraticBlowupStaysSmallAndFast() throws {
        let big = String(repeating: "A", count: 50_000)
        let references = String(repeating: "&a;", count: 20_000)
        let start = ContinuousClock.now
        let outcome = parse("""
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY a "\(big)"> ]>
        <rss version="2.0"><channel><title>q</title>
        <item><title>\(references)</title><description>\(references)</description><link>https://e.example/1</link></item>
        </channel></rss>
        """)
        #expect(ContinuousClock.now - start < .seconds(10))
        // Either refused as an entity problem or parsed with the references left out, but
        // never a 1 GB string.
        switch outcome {
        case .success(let feed):
            #expect(feed.items.allSatisfy { $0.title.utf8.count < 1_000 && $0.summary.utf8.count < 1_000 })
        case .failure(let error):
            #expect(error.kind == .entityLimit)
        }
    }

    @Test func sizeLimitIsCheckedBeforeParsing() throws {
        let bytes = try FixtureFiles.bytes("rss2-basic")
        let parser = FeedParser(configuration: .init(maxBytes: 100))
        #expect { try parser.parse(bytes) } throws: { ($0 as? FeedError)?.kind == .tooLarge }
        #expect { try parser.parse(Data(bytes)) } throws: { ($0 as? FeedError)?.kind == .tooLarge }
        #expect(try FeedParser(configuration: .init(maxBytes: bytes.count)).parse(bytes).items.count == 4)
    }

    @Test func itemLimitStopsEarlyWithAWarning() throws {
        let feed = try FeedParser(configuration: .init(maxItems: 2)).parse(FixtureFiles.bytes("rss2-basic"))
        #expect(feed.items.map(\.title) == ["Central bank holds rates steady", "Storm closes mountain passes"])
        #expect(feed.warnings.contains { $0.contains("item limit (2)") })
    }

    @Test func timeLimitIsEnforced() {
        let items = String(repeating: "<item><title>t</title><link>https://e.example/</link></item>\n", count: 2_000)
        let outcome = parse(
            "<rss version=\"2.0\"><channel>\(items)</channel></rss>",
            configuration: .init(timeLimit: .zero)
        )
        #expect(throws: FeedError.self) { try outcome.get() }
        if case .failure(let error) = outcome { #expect(error.kind == .timeLimit) }
    }

    @Test func deepNestingIsRefused() {
        let depth = 100_000
        let text = "<rss version=\"2.0\"><channel>" + String(repeating: "<x>", count: depth) + String(repeating: "</x>", count: depth) + "</channel></rss>"
        let start = ContinuousClock.now
        let outcome = parse(text)
        #expect(ContinuousClock.now - start < .seconds(10))
        if case .failure(let error) = outcome {
            #expect(error.kind == .malformed)
        } else {
            Issue.record("expected libxml2's depth limit to refuse \(depth) levels")
        }
    }

    @Test func dangerousLinkSchemesAreDropped() throws {
        let feed = try parse("""
        <rss version="2.0"><channel><title>s</title>
        <item><title>js</title><link>javascript:alert(1)</link></item>
        <item><title>file</title><link>file:///etc/passwd</link></item>
        <item><title>data</title><link>data:text/html,hi</link></item>
        <item><title>ok</title><link>HTTPS://Example.com/a</link></item>
        </channel></rss>
        """).get()
        #expect(feed.items.map { $0.link?.absoluteString } == [nil, nil, nil, "HTTPS://Example.com/a"])
        #expect(feed.warnings.filter { $0.contains("link dropped") }.count == 3)
    }

    @Test func errorDescriptionsDoNotQuoteDocumentContent() throws {
        let secret = "s3cr3t-token-value"
        let outcome = parse("<rss version=\"2.0\"><channel><title>\(secret)</title><item><title>\(secret)")
        #expect(throws: FeedError.self) { try outcome.get() }
        if case .failure(let error) = outcome {
            #expect(error.kind == .malformed)
            #expect(!error.description.contains(secret))
        }
    }
}
