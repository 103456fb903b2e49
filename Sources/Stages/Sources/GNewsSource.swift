public import Foundation
public import Core
public import AsyncHTTPClient
import Feeds
import Metrics
import NIOCore
import NIOHTTP1
import Synchronization

/// The GNews v4 `/search` client: `GET {GNEWS_API_URL}/api/v4/search?q=&lang=&max=&from=&sortby=publishedAt&apikey=`.
///
/// Quota-aware: after a 403 (daily quota spent) it does not call GNews again until 00:00 UTC
/// and answers `quotaExhausted` at once, so the fetch stage falls back to feeds without burning
/// requests; with `dailyQuota` set it stops itself before GNews has to say so. The API key is
/// only ever put into the request URL: errors are built from status codes and GNews' messages
/// with the key masked, never from the URL.
public final class GNewsSource: NewsSource {
    public struct Configuration: Sendable {
        /// Base URL (`GNEWS_API_URL`), default `https://gnews.io`.
        public var baseURL: String
        public var apiKey: Secret<String>
        public var name: String
        /// Whole-request deadline.
        public var timeout: Duration
        /// Largest response body accepted.
        public var maxBytes: Int
        /// Optional `country` parameter.
        public var country: String?
        /// Requests allowed per UTC day (`GNEWS_DAILY_QUOTA`); nil: only GNews decides.
        public var dailyQuota: Int?
        public var userAgent: String

        public init(baseURL: String = "https://gnews.io", apiKey: Secret<String>, name: String = "gnews",
                    timeout: Duration = .seconds(10), maxBytes: Int = 2 << 20, country: String? = nil,
                    dailyQuota: Int? = nil, userAgent: String = "newsbot/1.0") {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.name = name
            self.timeout = timeout
            self.maxBytes = maxBytes
            self.country = country
            self.dailyQuota = dailyQuota
            self.userAgent = userAgent
        }
    }

    /// Requests made today and whether the quota is known to be spent.
    public struct Usage: Sendable, Hashable {
        /// UTC day number (days since 1970-01-01) the counts are for.
        public var day: Int64
        public var requests: Int
        /// Set after a 403 or when `dailyQuota` is reached: no request before this instant.
        public var exhaustedUntil: Date?
    }

    public let configuration: Configuration
    private let client: HTTPClient
    private let clock: any NewsbotClock
    private let parser = FeedParser()
    private let state = Mutex(Usage(day: 0, requests: 0, exhaustedUntil: nil))

    public var name: String { configuration.name }

    public init(configuration: Configuration, httpClient: HTTPClient = .shared, clock: any NewsbotClock = SystemClock()) {
        self.configuration = configuration
        self.client = httpClient
        self.clock = clock
    }

    /// Today's usage (for `pipeline status` and metrics).
    public var usage: Usage {
        let today = Self.day(clock.now())
        return state.withLock { $0.day == today ? $0 : Usage(day: today, requests: 0, exhaustedUntil: $0.exhaustedUntil) }
    }

    public func fetch(_ query: NewsQuery) async throws -> [Article] {
        let now = clock.now()
        try reserveRequest(now: now)
        var request = HTTPClientRequest(url: url(for: query))
        request.method = .GET
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: HTTPSourceSupport.timeAmount(configuration.timeout))
        } catch {
            throw HTTPSourceSupport.transportError(error, secret: configuration.apiKey.value)
        }
        let status = Int(response.status.code)
        if status == 200 {
            let body = try await HTTPSourceSupport.body(of: response, limit: configuration.maxBytes)
            do {
                return Article.articles(of: try parser.parse(body), origin: name)
            } catch {
                throw noteQuota(GNewsErrors.error(masked(error), now: now))
            }
        }
        let body = try? await HTTPSourceSupport.body(of: response, limit: 64 << 10)
        let message = body.flatMap(errorMessage)
        throw noteQuota(GNewsErrors.error(status: status, message: message,
                                          retryAfter: HTTPSourceSupport.retryAfter(response.headers), now: now))
    }

    /// The request URL. Contains the key: never log or put it into an error.
    func url(for query: NewsQuery) -> String {
        var base = configuration.baseURL.trimmingWhitespace()
        while base.hasSuffix("/") { base.removeLast() }
        var parameters: [(String, String)] = [
            ("q", query.searchText?.trimmingWhitespace().nonEmpty ?? query.topic.name),
            ("lang", query.language.rawValue),
        ]
        if let country = configuration.country { parameters.append(("country", country)) }
        parameters.append(("max", String(max(1, query.maxArticles))))
        if let from = query.from { parameters.append(("from", Self.timestamp(from))) }
        if let to = query.to { parameters.append(("to", Self.timestamp(to))) }
        parameters.append(("sortby", "publishedAt"))
        parameters.append(("apikey", configuration.apiKey.value))
        let queryString = parameters.map { "\($0.0)=\(HTTPSourceSupport.queryEncode($0.1))" }.joined(separator: "&")
        return base + "/api/v4/search?" + queryString
    }

    // MARK: quota

    /// Counts the request against today's budget, or refuses it while the quota is spent.
    private func reserveRequest(now: Date) throws(NewsSourceError) {
        let today = Self.day(now)
        let quota = configuration.dailyQuota
        let (refusal, made) = state.withLock { usage -> (NewsSourceError?, Int) in
            if usage.day != today { usage.day = today; usage.requests = 0 }
            if let until = usage.exhaustedUntil {
                if now < until { return (.quotaExhausted(resetAt: until), usage.requests) }
                usage.exhaustedUntil = nil
            }
            if let quota, usage.requests >= quota {
                let reset = GNewsErrors.nextResetTime(after: now)
                usage.exhaustedUntil = reset
                return (.quotaExhausted(resetAt: reset), usage.requests)
            }
            usage.requests += 1
            return (nil, usage.requests)
        }
        Gauge(label: "newsbot.gnews.requests_today", dimensions: [("source", name)]).record(made)
        if let quota { Gauge(label: "newsbot.gnews.requests_left", dimensions: [("source", name)]).record(max(0, quota - made)) }
        if let refusal { throw refusal }
    }

    /// Remembers a spent quota so no request is made before it resets.
    private func noteQuota(_ error: NewsSourceError) -> NewsSourceError {
        if case .quotaExhausted(let resetAt) = error {
            state.withLock { $0.exhaustedUntil = resetAt ?? GNewsErrors.nextResetTime(after: clock.now()) }
        }
        return error
    }

    // MARK: helpers

    /// GNews' error text from an `{"errors": …}` body, key masked and redacted.
    private func errorMessage(_ body: [UInt8]) -> String? {
        guard case .failure(let failure) = Result(catching: { () throws(FeedError) in try parser.parse(body) }),
              failure.kind == .gnewsError, let detail = failure.detail else { return nil }
        return mask(detail)
    }

    private func masked(_ error: FeedError) -> FeedError {
        var copy = error
        copy.detail = copy.detail.map(mask)
        return copy
    }

    /// Replaces the key wherever it appears (GNews may echo it), then applies `Redaction`.
    private func mask(_ text: String) -> String {
        let key = configuration.apiKey.value
        let unmasked = key.count >= 4 ? text.replacingOccurrences(of: key, with: "***") : text
        return Redaction.redact(unmasked)
    }

    static func day(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// `2026-11-26T08:00:00Z`, the form GNews accepts for `from` / `to`.
    static func timestamp(_ date: Date) -> String { FeedDate.iso8601UTC(date) }
}

extension String {
    /// Nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
