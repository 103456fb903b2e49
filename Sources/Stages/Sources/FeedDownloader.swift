public import Foundation
public import AsyncHTTPClient
import Core
import NIOCore
import NIOHTTP1

/// Downloads a feed the way the fetch stage does — `User-Agent`, `Accept`, gzip when asked,
/// redirects as the client follows them, a whole-request deadline and a body size limit — so
/// `FeedNewsSource` and `newsbot sources check URL` cannot drift apart.
struct FeedDownloader: Sendable {
    var configuration: FeedNewsSource.Configuration
    var client: HTTPClient

    /// GETs `configuration.url`, sending `validators` (ETag, Last-Modified) for a conditional GET.
    /// Transport failures become redacted `NewsSourceError`s; any status is returned.
    func get(etag: String? = nil, lastModified: String? = nil) async throws -> FeedHTTPResponse {
        var request = HTTPClientRequest(url: configuration.url.absoluteString)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
        if configuration.acceptCompressed { request.headers.add(name: "Accept-Encoding", value: "gzip, deflate") }
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: HTTPSourceSupport.timeAmount(configuration.timeout))
        } catch {
            throw HTTPSourceSupport.transportError(error)
        }
        let status = Int(response.status.code)
        let body = status == 200 ? try await HTTPSourceSupport.body(of: response, limit: configuration.maxBytes) : []
        return FeedHTTPResponse(status: status, body: body, headers: response.headers, url: response.url ?? configuration.url)
    }

    /// The error a feed answering `status` (neither 200 nor 304) is reported with.
    static func error(status: Int, headers: HTTPHeaders) -> NewsSourceError {
        switch status {
        case 429: .rateLimited(retryAfter: HTTPSourceSupport.retryAfter(headers))
        case 401, 403: .unauthorized
        case 500...599: .server(status: status)
        default: .invalidResponse("HTTP \(status)")
        }
    }
}
