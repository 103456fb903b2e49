import Foundation
import Testing
import Core
import Feeds
@testable import Stages

/// `SourceChecker`, the engine of `newsbot sources check`: files and URLs are read with limits,
/// parsed by the pipeline's parser, and every failure is a result, never a throw.
@Suite struct SourceCheckerTests {
    @Test func urlIsFetchedLikeTheFetchStageAndParsed() async throws {
        let server = try LocalHTTPServer { request in
            if request.target == "/old" { return .init(status: 301, headers: [("Location", "/feed.xml")]) }
            return .init(status: 200, headers: [("Content-Type", "application/rss+xml")], body: SampleFeeds.rss)
        }
        defer { server.stop() }
        let check = await SourceChecker().check(server.baseURL + "/old")
        #expect(check.ok)
        #expect(check.feed?.items.map(\.title) == ["Typing in Python 3.14", "No link here"])
        let last = try #require(server.requests.last)
        #expect(last.target == "/feed.xml")
        #expect(last.headers["user-agent"]?.hasPrefix("newsbot") == true)
        #expect(last.headers["accept-encoding"]?.contains("gzip") == true)
        #expect(last.headers["if-none-match"] == nil)
    }

    @Test func httpFailuresAndTimeoutsAreResults() async throws {
        let server = try LocalHTTPServer { request in
            request.target == "/slow" ? .init(status: 200, body: SampleFeeds.rss, delay: .seconds(3)) : .init(status: 404)
        }
        defer { server.stop() }
        let checker = SourceChecker(timeout: .milliseconds(300))
        let missing = await checker.check(server.baseURL + "/missing")
        #expect(missing.error == "invalid response: HTTP 404")
        let slow = await checker.check(server.baseURL + "/slow")
        #expect(slow.error == "timed out")
        #expect(!slow.ok)
    }

    @Test func filesAreReadWithinTheSizeLimitAndOnlyRegularOnes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(SampleFeeds.rss, to: "small.xml")
        try directory.write(SampleFeeds.rss + String(repeating: " ", count: 2000), to: "big.xml")
        let checker = SourceChecker(parser: FeedParser.Configuration(maxBytes: 1500))
        #expect(await checker.check(directory.url.appendingPathComponent("small.xml").path).ok)
        let big = await checker.check(directory.url.appendingPathComponent("big.xml").path)
        #expect(big.error?.hasPrefix("input too large") == true)
        #expect(await checker.check(directory.url.path).error == "not a regular file")
        #expect(await checker.check("/dev/zero").error == "not a regular file")
        #expect(await checker.check(directory.url.appendingPathComponent("absent.xml").path).error?.hasPrefix("cannot read file") == true)
        #expect(await checker.check("file:///etc/passwd").error == "unsupported URL scheme (only http and https)")
    }

    @Test func jsonLineFollowsTheContract() throws {
        let feed = ParsedFeed(format: .rss2, items: [
            FeedItem(title: "A & \"B\"", link: URL(string: "https://example.com/a"), published: Date(timeIntervalSince1970: 1_795_687_200)),
            FeedItem(title: "No date or link"),
        ])
        let good = try JSONSerialization.jsonObject(with: Data(SourceCheck(input: "a.xml", feed: feed).jsonLine.utf8)) as? [String: Any]
        #expect(good?["file"] as? String == "a.xml")
        #expect(good?["ok"] as? Bool == true)
        #expect(good?["error"] is NSNull)
        let items = good?["items"] as? [[String: Any]]
        #expect(items?.count == 2)
        #expect(items?.first?["title"] as? String == "A & \"B\"")
        #expect(items?.first?["link"] as? String == "https://example.com/a")
        #expect(items?.first?["published"] as? String == "2026-11-26T10:00:00Z")
        #expect(items?.last?["link"] is NSNull)
        #expect(items?.last?["published"] is NSNull)

        let bad = SourceCheck(input: "b.xml", error: "malformed XML at line 3")
        #expect(!bad.jsonLine.contains("\n"))
        let decoded = try JSONSerialization.jsonObject(with: Data(bad.jsonLine.utf8)) as? [String: Any]
        #expect(decoded?["ok"] as? Bool == false)
        #expect(decoded?["error"] as? String == "malformed XML at line 3")
        #expect((decoded?["items"] as? [Any])?.isEmpty == true)
        #expect(bad.summaryLines == ["b.xml", "  error     malformed XML at line 3"])
    }
}
