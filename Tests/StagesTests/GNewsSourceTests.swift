import Foundation
import Testing
import Core
@testable import Stages

@Suite struct GNewsSourceTests {
    static let key = "k3y-Super-SECRET-9876"
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func source(_ server: LocalHTTPServer, timeout: Duration = .seconds(5), dailyQuota: Int? = nil, budgetSlices: Int = 1,
                clock: TestClock? = nil, usageStore: (any NewsCache)? = nil) -> GNewsSource {
        GNewsSource(configuration: .init(baseURL: server.baseURL + "/", apiKey: Secret(Self.key), timeout: timeout,
                                         dailyQuota: dailyQuota, budgetSlices: budgetSlices),
                    clock: clock ?? TestClock(now), usageStore: usageStore)
    }

    let query = NewsQuery(topic: Topic("c++")!, language: .en, from: Date(timeIntervalSince1970: 1_794_740_800), maxArticles: 10)

    @Test func sendsTheDocumentedRequestAndMapsArticles() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, headers: [("Content-Type", "application/json")], body: SampleFeeds.gnews) }
        defer { server.stop() }
        let articles = try await source(server).fetch(query)
        #expect(articles.count == 2)
        #expect(articles[0].origin == "gnews")
        #expect(articles[0].sourceName == "Python Insider")
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/api/v4/search?q=c%2B%2B&lang=en&max=10&from=2026-11-15T11%3A06%3A40Z&sortby=publishedAt&apikey=\(Self.key)")
        #expect(request.headers["user-agent"]?.hasPrefix("newsbot") == true)
    }

    @Test(arguments: [
        (400, #"{"errors": {"q": "The query is invalid"}}"#, NewsSourceError.badRequest("q: The query is invalid")),
        (401, #"{"errors": ["Your API key k3y-Super-SECRET-9876 is invalid"]}"#, .unauthorized),
        (429, #"{"errors": ["Too many requests"]}"#, .rateLimited(retryAfter: .seconds(7))),
        (500, "oops", .server(status: 500)),
        (503, #"{"errors": ["Service unavailable"]}"#, .server(status: 503)),
        (418, "", .invalidResponse("HTTP 418")),
    ])
    func mapsErrorStatuses(_ status: Int, _ body: String, _ expected: NewsSourceError) async throws {
        let server = try LocalHTTPServer { _ in .init(status: status, headers: [("Retry-After", "7")], body: body) }
        defer { server.stop() }
        do {
            _ = try await source(server).fetch(query)
            Issue.record("expected \(expected)")
        } catch let error as NewsSourceError {
            #expect(error == expected)
            #expect(!String(describing: error).contains(Self.key))
            #expect(!String(reflecting: error).contains(Self.key))
        }
    }

    @Test func badRequestMessagesNeverCarryTheKey() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 400, body: #"{"errors": ["bad apikey=\#(Self.key) or \#(Self.key)"]}"#) }
        defer { server.stop() }
        let error = await #expect(throws: NewsSourceError.self) { try await source(server).fetch(query) }
        #expect(!String(describing: error).contains(Self.key))
    }

    @Test func dailyQuotaStopsCallsUntilMidnightUTC() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 403, body: SampleFeeds.quotaError) }
        defer { server.stop() }
        let gnews = source(server)
        let reset = GNewsErrors.nextResetTime(after: now)
        await #expect(throws: NewsSourceError.quotaExhausted(resetAt: reset)) { try await gnews.fetch(query) }
        await #expect(throws: NewsSourceError.quotaExhausted(resetAt: reset)) { try await gnews.fetch(query) }
        #expect(server.requests.count == 1)
        #expect(gnews.usage.exhaustedUntil == reset)
    }

    @Test func ownBudgetRefusesBeforeGNewsHasTo() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, body: SampleFeeds.gnews) }
        defer { server.stop() }
        let gnews = source(server, dailyQuota: 2)
        _ = try await gnews.fetch(query)
        _ = try await gnews.fetch(query)
        await #expect(throws: NewsSourceError.self) { try await gnews.fetch(query) }
        #expect(server.requests.count == 2)
        #expect(gnews.usage.requests == 2)
    }

    @Test func budgetIsSpreadOverTheDay() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, body: SampleFeeds.gnews) }
        defer { server.stop() }
        // 00:30 UTC with 24 requests over 24 slices: one request per hour, unused ones carried forward.
        let midnight = GNewsErrors.nextResetTime(after: now)
        let clock = TestClock(midnight.addingTimeInterval(1800))
        let gnews = source(server, dailyQuota: 24, budgetSlices: 24, clock: clock)
        _ = try await gnews.fetch(query)
        await #expect(throws: NewsSourceError.quotaExhausted(resetAt: midnight.addingTimeInterval(3600))) {
            try await gnews.fetch(query)
        }
        clock.advance(by: .seconds(3 * 3600))  // 03:30: the shares of 01:00–04:00 are there
        for _ in 0..<3 { _ = try await gnews.fetch(query) }
        await #expect(throws: NewsSourceError.self) { try await gnews.fetch(query) }
        #expect(server.requests.count == 4)
        #expect(gnews.usage.requests == 4)
        #expect(gnews.usage.left(quota: 24) == 20)
    }

    @Test func rateLimitBacksOffForRetryAfter() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 429, headers: [("Retry-After", "30")], body: #"{"errors": ["Too many requests"]}"#) }
        defer { server.stop() }
        let clock = TestClock(now)
        let gnews = source(server, clock: clock)
        await #expect(throws: NewsSourceError.rateLimited(retryAfter: .seconds(30))) { try await gnews.fetch(query) }
        clock.advance(by: .seconds(10))
        await #expect(throws: NewsSourceError.rateLimited(retryAfter: .seconds(20))) { try await gnews.fetch(query) }
        #expect(server.requests.count == 1)
        clock.advance(by: .seconds(21))
        await #expect(throws: NewsSourceError.self) { try await gnews.fetch(query) }
        #expect(server.requests.count == 2)
    }

    @Test func processesSharingACacheSpendOneBudget() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, body: SampleFeeds.gnews) }
        defer { server.stop() }
        let clock = TestClock(now)
        let cache = MemoryNewsCache(clock: clock)
        let first = source(server, dailyQuota: 3, clock: clock, usageStore: cache)
        let second = source(server, dailyQuota: 3, clock: clock, usageStore: cache)
        _ = try await first.fetch(query)
        _ = try await second.fetch(query)
        _ = try await first.fetch(query)
        await #expect(throws: NewsSourceError.quotaExhausted(resetAt: GNewsErrors.nextResetTime(after: now))) {
            try await second.fetch(query)
        }
        #expect(server.requests.count == 3)
        let stored = try #require(try await GNewsSource.storedUsage(name: "gnews", in: cache, now: now))
        #expect(stored.requests == 3)
        // A new UTC day starts from zero.
        clock.advance(by: .seconds(86_400))
        _ = try await second.fetch(query)
        #expect(server.requests.count == 4)
        #expect(try await GNewsSource.storedUsage(name: "gnews", in: cache, now: clock.now())?.requests == 1)
    }

    @Test func errorBodyWithStatus200IsAnError() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200, body: SampleFeeds.quotaError) }
        defer { server.stop() }
        await #expect(throws: NewsSourceError.quotaExhausted(resetAt: GNewsErrors.nextResetTime(after: now))) {
            try await source(server).fetch(query)
        }
    }

    @Test func slowServerTimesOut() async throws {
        // Far past the 300 ms timeout, so a starved machine still sees the timeout first.
        let server = try LocalHTTPServer { _ in .init(status: 200, body: SampleFeeds.gnews, delay: .seconds(10)) }
        defer { server.stop() }
        await #expect(throws: NewsSourceError.timeout) { try await source(server, timeout: .milliseconds(300)).fetch(query) }
    }

    @Test func unreachableServerIsANetworkErrorWithoutTheKey() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 200) }
        let url = server.baseURL
        server.stop()
        let gnews = GNewsSource(configuration: .init(baseURL: url, apiKey: Secret(Self.key), timeout: .seconds(2)))
        do {
            _ = try await gnews.fetch(query)
            Issue.record("expected a failure")
        } catch {
            #expect(error is NewsSourceError)
            #expect(!String(describing: error).contains(Self.key))
        }
    }
}
