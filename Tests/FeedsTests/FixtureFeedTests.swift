import Feeds
import Foundation
import Testing

/// Every fixture in `fixtures/feeds/` parses to exactly what its `.expected.json` says, the
/// way `newsbot sources check FILE` reads it: from a file, without a feed URL.
@Suite struct FixtureFeedTests {
    @Test func fixturesAreDiscovered() {
        // Guards against a moved directory silently turning the parameterised test into zero cases.
        #expect(FixtureFiles.names.count >= 20)
        for name in ["rss2-basic", "rss1-rdf", "atom-xmlbase", "gnews-ok", "xxe", "entity-bomb"] {
            #expect(FixtureFiles.names.contains(name))
        }
    }

    @Test(arguments: FixtureFiles.names)
    func fixtureMatchesExpectation(_ name: String) throws {
        let expected = try FixtureFiles.expectation(name)
        let bytes = try FixtureFiles.bytes(name)
        let start = ContinuousClock.now
        let outcome = Result { () throws(FeedError) -> ParsedFeed in try FeedParser().parse(bytes) }
        // Every fixture, hostile ones included, is answered quickly.
        #expect(ContinuousClock.now - start < .seconds(10), "\(name) took too long")

        switch outcome {
        case .failure(let error):
            #expect(error.kind.rawValue == expected.error, "\(name): unexpected error \(error)")
            #expect(!error.description.isEmpty)
        case .success(let feed):
            #expect(expected.error == nil, "\(name): expected error \(expected.error ?? "")")
            guard expected.error == nil else { return }
            compare(feed, with: expected, name: name)
        }
    }

    private func compare(_ feed: ParsedFeed, with expected: FixtureExpectation, name: String) {
        if let format = expected.format { #expect(feed.format.rawValue == format, "\(name)") }
        if let title = expected.title { #expect(feed.title == title, "\(name)") }
        if let encoding = expected.declaredEncoding { #expect(feed.declaredEncoding == encoding, "\(name)") }
        if let bom = expected.byteOrderMark { #expect(feed.hasByteOrderMark == bom, "\(name)") }
        for warning in expected.warnings ?? [] {
            #expect(feed.warnings.contains { $0.contains(warning) }, "\(name): no warning containing \"\(warning)\" in \(feed.warnings)")
        }
        guard let items = expected.items else { return }
        #expect(feed.items.count == items.count, "\(name): \(feed.items.map(\.title))")
        for (index, (actual, wanted)) in zip(feed.items, items).enumerated() {
            let label = "\(name) item \(index + 1)"
            #expect(actual.title == wanted.title, "\(label)")
            #expect(actual.link?.absoluteString == wanted.link, "\(label)")
            #expect(actual.published.map(FeedDate.iso8601UTC) == wanted.published, "\(label)")
            if let guid = wanted.guid { #expect(actual.guid == guid, "\(label)") }
            if let summary = wanted.summary { #expect(actual.summary == summary, "\(label)") }
            if let source = wanted.source { #expect(actual.sourceName == source, "\(label)") }
        }
    }
}
