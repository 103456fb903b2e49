import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Core

/// What the HTTP news sources share: a size-limited body read, header parsing, and turning
/// client errors into `NewsSourceError`s whose text can never carry a URL (and so a key).
enum HTTPSourceSupport {
    /// The body, refused when larger than `limit` bytes.
    static func body(of response: HTTPClientResponse, limit: Int) async throws -> [UInt8] {
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
            throw NewsSourceError.invalidResponse("response larger than \(limit) bytes")
        }
        do {
            let buffer = try await response.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw NewsSourceError.invalidResponse("response larger than \(limit) bytes")
        } catch {
            throw transportError(error)
        }
    }

    /// A failure before or while receiving a response. The text is the error's own (host and
    /// port at most), with `secret` masked and `Redaction` applied, cut to 200 characters.
    static func transportError(_ error: any Error, secret: String? = nil) -> NewsSourceError {
        if let source = error as? NewsSourceError { return source }
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            default: break
            }
        }
        if error is CancellationError { return .network("cancelled") }
        var text = String(describing: error)
        if let secret, secret.count >= 4 { text = text.replacingOccurrences(of: secret, with: "***") }
        text = Redaction.redact(text)
        return .network(text.count > 200 ? String(text.prefix(200)) + "…" : text)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(min(duration.timeInterval, 86_400) * 1_000_000_000))
    }

    /// `Retry-After` in seconds (the HTTP-date form is ignored).
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        headers.first(name: "retry-after").flatMap { Int($0.trimmingWhitespace()) }.map { .seconds(max(0, $0)) }
    }

    /// The `charset` parameter of `Content-Type`, if any.
    static func charset(_ headers: HTTPHeaders) -> String? {
        guard let contentType = headers.first(name: "content-type") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "charset" {
                return pair[1].trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
        }
        return nil
    }

    /// RFC 3986 query component encoding: everything but unreserved characters is escaped, so
    /// `+` and `&` in a search text stay literal.
    static func queryEncode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
