import Foundation
import NIOHTTP1

/// One feed GET as the fetch stage makes it (`FeedDownloader`): the status, the body when it was
/// a 200 (size-limited), and the headers conditional GET and parsing need.
struct FeedHTTPResponse: Sendable {
    var status: Int
    /// Empty unless `status` is 200.
    var body: [UInt8]
    var headers: HTTPHeaders
    /// Where the body came from after redirects; relative links resolve against it.
    var url: URL

    /// The `Content-Type` charset, a hint for documents that declare no encoding.
    var charset: String? { HTTPSourceSupport.charset(headers) }
    var etag: String? { headers.first(name: "etag") }
    var lastModified: String? { headers.first(name: "last-modified") }
}
