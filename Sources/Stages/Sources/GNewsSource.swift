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
/// requests; after a 429 it waits `Retry-After` (default a minute). With `dailyQuota` set it
/// stops itself before GNews has to say so, spreading the budget over the day (`GNewsUsage`).
/// Given a `usageStore` (the shared news cache) the count lives there, so every process and
/// restart spends the same daily budget and `newsbot sources status` can read it. The API key is
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
        /// Parts of the UTC day the quota is spread over (see `GNewsUsage`); 1 spends it freely.
        public var budgetSlices: Int
        public var userAgent: String

        public init(baseURL: String = "https://gnews.io", apiKey: Secret<String>, name: String = "gnews",
                    timeout: Duration = .seconds(10), maxBytes: Int = 2 << 20, country: String? = nil,
                    dailyQuota: Int? = nil, budgetSlices: Int = 24, userAgent: String = "newsbot/1.0") {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.name = name
            self.timeout = timeout
            self.maxBytes = maxBytes
            self.country = country
            self.dailyQuota = dailyQuota
            self.budgetSlices = max(1, budgetSlices)
            self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    private let client: HTTPClient
    private let clock: any NewsbotClock
    private let parser = FeedParser()
    private let state = Mutex(GNewsUsage(day: 0))
    private let shared: SharedRecord<GNewsUsage>?

    public var name: String { configuration.name }

    /// - Parameter usageStore: where the day's usage is shared between processes; nil keeps it
    ///   in this instance only.
    public init(configuration: Configuration, httpClient: HTTPClient = .shared, clock: any NewsbotClock = SystemClock(),
                usageStore: (any NewsCache)? = nil) {
        self.configuration = configuration
        self.client = httpClient
        self.clock = clock
        self.shared = usageStore.map {
            SharedRecord(cache: $0, key: Self.usageKey(configuration.name), ttl: .seconds(2 * 86_400),
                         owner: "gnews-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        }
    }

    /// Today's usage as this instance last saw it.
    public var usage: GNewsUsage { state.withLock { $0 }.current(at: clock.now()) }

    /// The cache key of the shared usage of the GNews source `name`.
    public static func usageKey(_ name: String) -> String { "newsbot:gnews:v1:usage:\(name)" }

    /// Today's usage of the GNews source `name` as stored in `cache` by any process; nil when
    /// nothing was recorded (no request yet, or the record expired).
    public static func storedUsage(name: String, in cache: any NewsCache, now: Date) async throws -> GNewsUsage? {
        guard let data = try await cache.value(forKey: usageKey(name)),
              let usage = try? JSONDecoder().decode(GNewsUsage.self, from: data) else { return nil }
        return usage.current(at: now)
    }

    public func fetch(_ query: NewsQuery) async throws -> [Article] {
        let now = clock.now()
        try await reserveRequest(now: now)
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
                throw await noteQuota(GNewsErrors.error(masked(error), now: now))
            }
        }
        let body = try? await HTTPSourceSupport.body(of: response, limit: 64 << 10)
        let message = body.flatMap(errorMessage)
        throw await noteQuota(GNewsErrors.error(status: status, message: message,
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

    /// Counts the request against today's budget, or refuses it while the quota is spent, this
    /// part of the day's share is used, or a 429 backoff runs.
    private func reserveRequest(now: Date) async throws {
        let quota = configuration.dailyQuota, slices = configuration.budgetSlices
        let (refusal, usage) = await changeUsage { usage -> (NewsSourceError?, GNewsUsage) in
            let refusal = usage.reserve(at: now, quota: quota, slices: slices)
            return (refusal, usage)
        }
        Gauge(label: "newsbot.gnews.requests_today", dimensions: [("source", name)]).record(usage.requests)
        if let left = usage.left(quota: quota) {
            Gauge(label: "newsbot.gnews.requests_left", dimensions: [("source", name)]).record(left)
        }
        if let refusal { throw refusal }
    }

    /// Remembers a spent quota or a 429 so no request is made before it is over.
    private func noteQuota(_ error: NewsSourceError) async -> NewsSourceError {
        switch error {
        case .quotaExhausted, .rateLimited:
            let now = clock.now()
            _ = await changeUsage { usage in usage.note(error, at: now) }
        default:
            break
        }
        return error
    }

    /// Applies `change` to the shared record when there is one (keeping the local copy in step),
    /// else to the local usage.
    private func changeUsage<Result: Sendable>(_ change: @Sendable (inout GNewsUsage) -> Result) async -> Result {
        let now = clock.now()
        guard let shared else { return state.withLock { change(&$0) } }
        do {
            let (result, usage) = try await shared.update { stored -> (Result, GNewsUsage) in
                var usage = (stored ?? state.withLock { $0 }).current(at: now)
                let result = change(&usage)
                stored = usage
                return (result, usage)
            }
            state.withLock { $0 = usage }
            return result
        } catch {
            // The cache is down: count locally rather than fail the fetch over bookkeeping.
            return state.withLock { change(&$0) }
        }
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

    /// `2026-11-26T08:00:00Z`, the form GNews accepts for `from` / `to`.
    static func timestamp(_ date: Date) -> String { FeedDate.iso8601UTC(date) }
}

extension String {
    /// Nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
