import Foundation
import Testing
import Core
@testable import Stages

@Suite struct FeedNewsSourceTests {
    let query = NewsQuery(topic: Topic("python")!, language: .en)

    @Test func unchangedFeedIsNotDownloadedAgain() async throws {
        let server = try LocalHTTPServer { request in
            if request.headers["if-none-match"] == "\"v1\"" { return .init(status: 304) }
            return .init(status: 200, headers: [("ETag", "\"v1\""), ("Last-Modified", "Thu, 26 Nov 2026 07:00:00 GMT"),
                                                ("Content-Type", "application/rss+xml; charset=utf-8")], body: SampleFeeds.rss)
        }
        defer { server.stop() }
        let feed = FeedNewsSource(name: "planet", configuration: .init(url: URL(string: server.baseURL + "/feed.xml")!, reuseFor: .zero))
        let first = try await feed.fetch(query)
        let second = try await feed.fetch(query)
        #expect(first.map(\.title) == ["Typing in Python 3.14"])
        #expect(second == first)
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[0].headers["if-none-match"] == nil)
        #expect(requests[1].headers["if-none-match"] == "\"v1\"")
        #expect(requests[1].headers["if-modified-since"] == "Thu, 26 Nov 2026 07:00:00 GMT")
        #expect(requests[0].headers["user-agent"]?.hasPrefix("newsbot") == true)
    }

    @Test func oneDownloadServesEveryTopicForAWhile() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, body: SampleFeeds.rss, delay: .milliseconds(100)) }
        defer { server.stop() }
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        let feed = FeedNewsSource(name: "planet", configuration: .init(url: URL(string: server.baseURL)!, reuseFor: .seconds(60)), clock: clock)
        let topics = ["python", "typing", "packaging", "web"].map { NewsQuery(topic: Topic($0)!, language: .en) }
        let results = try await withThrowingTaskGroup(of: [Article].self) { group in
            for query in topics { group.addTask { try await feed.fetch(query) } }
            return try await group.reduce(into: [[Article]]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.map(\.title) == ["Typing in Python 3.14"] })
        _ = try await feed.fetch(query)
        #expect(server.requests.count == 1)
        clock.advance(by: .seconds(61))
        _ = try await feed.fetch(query)
        #expect(server.requests.count == 2)
    }

    @Test func gzipBodiesAreDecoded() async throws {
        // `<rss …><title>Zipped</title><item><title>Compressed story</title>…`, gzip-compressed.
        let zipped = [UInt8](Data(base64Encoded: "H4sIAAAAAAACA0WOSwrCQBBErxJmb9q4EulMFkJOoBt3IdOYxvkx3Uj09AaDcVm8R1VhNwdfPakIp9iapt6biuKYHMd7a66Xfnc0ncUi8pcOi2RxnIYYyVtUVk/2xjmTQ1gTslL4oXMKuZAIuUo0ldcmeY4PO6lmOQG8Odc0DyF7ggbhyxDWHtjGYHliP58sucO1AAAA")!)
        let server = try LocalHTTPServer { request in
            guard request.headers["accept-encoding"]?.contains("gzip") == true else { return .init(status: 406) }
            return .init(status: 200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")], bytes: zipped)
        }
        defer { server.stop() }
        let feed = FeedNewsSource(name: "zip", configuration: .init(url: URL(string: server.baseURL)!))
        let articles = try await feed.fetch(query)
        #expect(articles.map(\.title) == ["Compressed story"])
        #expect(articles.first?.sourceName == "Zipped")
    }

    @Test func refusesOversizedFeeds() async throws {
        let big = String(repeating: "x", count: 5000)
        let server = try LocalHTTPServer { _ in .init(status: 200, body: big) }
        defer { server.stop() }
        let feed = FeedNewsSource(name: "big", configuration: .init(url: URL(string: server.baseURL)!, maxBytes: 1000))
        await #expect(throws: NewsSourceError.invalidResponse("response larger than 1000 bytes")) { try await feed.fetch(query) }
    }

    @Test(arguments: [(404, NewsSourceError.invalidResponse("HTTP 404")), (429, .rateLimited(retryAfter: nil)), (502, .server(status: 502))])
    func mapsStatuses(_ status: Int, _ expected: NewsSourceError) async throws {
        let server = try LocalHTTPServer { _ in .init(status: status) }
        defer { server.stop() }
        let feed = FeedNewsSource(name: "f", configuration: .init(url: URL(string: server.baseURL)!))
        await #expect(throws: expected) { try await feed.fetch(query) }
    }

    @Test func anHTMLPageIsAClearError() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, body: "<!DOCTYPE html><html><body>hi</body></html>") }
        defer { server.stop() }
        let feed = FeedNewsSource(name: "f", configuration: .init(url: URL(string: server.baseURL)!))
        await #expect(throws: NewsSourceError.invalidResponse("an HTML page, not a feed")) { try await feed.fetch(query) }
    }
}
