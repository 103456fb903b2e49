public import Foundation
public import Core
public import AsyncHTTPClient
public import Feeds
import NIOCore
import NIOHTTP1
import Synchronization

/// An RSS / Atom feed fetched over HTTP and parsed with `Feeds`.
///
/// Conditional GET: the `ETag` and `Last-Modified` of the last good response are sent back as
/// `If-None-Match` / `If-Modified-Since`; a 304 reuses the articles parsed last time, so an
/// unchanged feed is neither downloaded nor parsed again. Redirects follow the HTTP client's
/// configuration; gzip is asked for (and decoded by the client) when `acceptCompressed` is set,
/// which needs a client with decompression enabled — `HTTPClient.shared` has it.
/// A feed answers every topic it is configured for (keyword filters narrow it per topic), so
/// one download serves them all: concurrent calls share one request, and a feed fetched less
/// than `reuseFor` ago is answered from memory.
public final class FeedNewsSource: NewsSource {
    public struct Configuration: Sendable {
        public var url: URL
        /// Whole-request deadline.
        public var timeout: Duration
        /// Largest body accepted (also the parser's limit).
        public var maxBytes: Int
        public var userAgent: String
        public var parser: FeedParser.Configuration
        /// Send `Accept-Encoding: gzip, deflate`. Only with a client that decompresses.
        public var acceptCompressed: Bool
        /// How long a downloaded feed answers further calls (other topics) without a request.
        public var reuseFor: Duration

        public init(url: URL, timeout: Duration = .seconds(15), maxBytes: Int = 4 << 20,
                    userAgent: String = "newsbot/1.0 (feed reader)", parser: FeedParser.Configuration = .init(),
                    acceptCompressed: Bool = true, reuseFor: Duration = .seconds(120)) {
            self.url = url
            self.timeout = timeout
            self.maxBytes = maxBytes
            self.userAgent = userAgent
            self.parser = parser
            self.acceptCompressed = acceptCompressed
            self.reuseFor = reuseFor
        }
    }

    /// What the last good response left: its articles, and validators for the next conditional GET.
    private struct LastResponse: Sendable {
        var etag: String?
        var lastModified: String?
        var articles: [Article]
        var receivedAt: Date
    }

    public let name: String
    public let configuration: Configuration
    private let client: HTTPClient
    private let clock: any NewsbotClock
    private let last = Mutex<LastResponse?>(nil)
    private let flights = SingleFlight<[Article]>()

    public init(name: String, configuration: Configuration, httpClient: HTTPClient = .shared,
                clock: any NewsbotClock = SystemClock()) {
        self.name = name
        self.configuration = configuration
        self.client = httpClient
        self.clock = clock
    }

    public func fetch(_ query: NewsQuery) async throws -> [Article] {
        let now = clock.now()
        if let recent = last.withLock({ $0 }), now.timeIntervalSince(recent.receivedAt) < configuration.reuseFor.timeInterval {
            return recent.articles
        }
        return try await flights.run("feed") { [self] in try await download() }.value
    }

    private func download() async throws -> [Article] {
        var request = HTTPClientRequest(url: configuration.url.absoluteString)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
        if configuration.acceptCompressed { request.headers.add(name: "Accept-Encoding", value: "gzip, deflate") }
        let previous = last.withLock { $0 }
        if let previous {
            if let etag = previous.etag { request.headers.add(name: "If-None-Match", value: etag) }
            if let modified = previous.lastModified { request.headers.add(name: "If-Modified-Since", value: modified) }
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: HTTPSourceSupport.timeAmount(configuration.timeout))
        } catch {
            throw HTTPSourceSupport.transportError(error)
        }
        let status = Int(response.status.code)
        switch status {
        case 200:
            let body = try await HTTPSourceSupport.body(of: response, limit: configuration.maxBytes)
            let feed: ParsedFeed
            do {
                feed = try FeedParser(configuration: configuration.parser)
                    .parse(body, url: response.url ?? configuration.url, charset: HTTPSourceSupport.charset(response.headers))
            } catch {
                throw NewsSourceError.invalidResponse(error.description)
            }
            let articles = Article.articles(of: feed, origin: name)
            let etag = response.headers.first(name: "etag"), modified = response.headers.first(name: "last-modified")
            last.withLock { $0 = LastResponse(etag: etag, lastModified: modified, articles: articles, receivedAt: clock.now()) }
            return articles
        case 304:
            guard var previous else { throw NewsSourceError.invalidResponse("304 without a previous response") }
            previous.receivedAt = clock.now()
            last.withLock { [previous] in $0 = previous }
            return previous.articles
        case 429:
            throw NewsSourceError.rateLimited(retryAfter: HTTPSourceSupport.retryAfter(response.headers))
        case 401, 403:
            throw NewsSourceError.unauthorized
        case 500...599:
            throw NewsSourceError.server(status: status)
        default:
            throw NewsSourceError.invalidResponse("HTTP \(status)")
        }
    }
}
