public import Foundation
public import Core
public import AsyncHTTPClient
public import Feeds
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
        /// What feeds see us as (also `newsbot sources check`).
        public static let defaultUserAgent = "newsbot/1.0 (feed reader)"

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
                    userAgent: String = Configuration.defaultUserAgent, parser: FeedParser.Configuration = .init(),
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
        let previous = last.withLock { $0 }
        let response = try await FeedDownloader(configuration: configuration, client: client)
            .get(etag: previous?.etag, lastModified: previous?.lastModified)
        switch response.status {
        case 200:
            let feed: ParsedFeed
            do {
                feed = try FeedParser(configuration: configuration.parser)
                    .parse(response.body, url: response.url, charset: response.charset)
            } catch {
                throw NewsSourceError.invalidResponse(error.description)
            }
            let articles = Article.articles(of: feed, origin: name)
            last.withLock { $0 = LastResponse(etag: response.etag, lastModified: response.lastModified,
                                              articles: articles, receivedAt: clock.now()) }
            return articles
        case 304:
            guard var previous else { throw NewsSourceError.invalidResponse("304 without a previous response") }
            previous.receivedAt = clock.now()
            last.withLock { [previous] in $0 = previous }
            return previous.articles
        default:
            throw FeedDownloader.error(status: response.status, headers: response.headers)
        }
    }
}
