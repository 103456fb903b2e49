public import Foundation
public import AsyncHTTPClient
public import Feeds
import Core

/// Reads and parses one feed input for `newsbot sources check`: a file path, or an http(s) URL
/// downloaded by the fetch stage's own `FeedDownloader` (no conditional GET), then parsed by the
/// pipeline's `FeedParser`. Every failure becomes a `SourceCheck` with an error, never a throw,
/// so one bad input cannot stop the others.
///
/// Limits per input: `maxBytes` for the file or body, the HTTP deadline, and the parser's time
/// limit; only regular files are read (a FIFO or `/dev/zero` could block or never end).
public struct SourceChecker: Sendable {
    public var parser: FeedParser.Configuration
    public var timeout: Duration
    public var userAgent: String
    private let client: HTTPClient

    public init(parser: FeedParser.Configuration = .init(), timeout: Duration = .seconds(15),
                userAgent: String = FeedNewsSource.Configuration.defaultUserAgent,
                httpClient: HTTPClient = .shared) {
        self.parser = parser
        self.timeout = timeout
        self.userAgent = userAgent
        self.client = httpClient
    }

    public func check(_ input: String) async -> SourceCheck {
        let lower = input.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            return await checkURL(input)
        }
        // Any other scheme (file://, ftp://…) is refused rather than read as a relative path.
        if let scheme = lower.range(of: "://"), !lower[..<scheme.lowerBound].contains("/") {
            return SourceCheck(input: input, error: "unsupported URL scheme (only http and https)")
        }
        return checkFile(input)
    }

    private func checkURL(_ input: String) async -> SourceCheck {
        guard let url = URL(string: input), url.host != nil else {
            return SourceCheck(input: input, error: "not a valid URL")
        }
        let configuration = FeedNewsSource.Configuration(url: url, timeout: timeout, maxBytes: parser.maxBytes,
                                                         userAgent: userAgent, parser: parser)
        do {
            let response = try await FeedDownloader(configuration: configuration, client: client).get()
            guard response.status == 200 else {
                throw FeedDownloader.error(status: response.status, headers: response.headers)
            }
            return parse(response.body, input: input, url: response.url, charset: response.charset)
        } catch let error as NewsSourceError {
            return SourceCheck(input: input, error: error.description)
        } catch {
            return SourceCheck(input: input, error: HTTPSourceSupport.transportError(error).description)
        }
    }

    private func checkFile(_ path: String) -> SourceCheck {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            return SourceCheck(input: path, error: "cannot read file: no such file or not accessible")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return SourceCheck(input: path, error: "not a regular file")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > parser.maxBytes {
            return SourceCheck(input: path, error: FeedError(.tooLarge, detail: "\(size) bytes, limit \(parser.maxBytes)").description)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return SourceCheck(input: path, error: "cannot read file: permission denied")
        }
        defer { try? handle.close() }
        // Read one byte past the limit so a file that grew since `stat` is still refused.
        let data: Data
        do {
            data = try handle.read(upToCount: parser.maxBytes + 1) ?? Data()
        } catch {
            return SourceCheck(input: path, error: "cannot read file")
        }
        return parse([UInt8](data), input: path, url: nil, charset: nil)
    }

    private func parse(_ bytes: [UInt8], input: String, url: URL?, charset: String?) -> SourceCheck {
        do throws(FeedError) {
            return SourceCheck(input: input, feed: try FeedParser(configuration: parser).parse(bytes, url: url, charset: charset))
        } catch {
            return SourceCheck(input: input, error: error.description)
        }
    }
}
