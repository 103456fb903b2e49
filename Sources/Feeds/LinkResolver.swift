import Foundation

/// Turns a link as written in a feed into an absolute http(s) URL.
///
/// Only http and https survive: digests put these links into Telegram messages, and a
/// `javascript:`, `file:` or `data:` link from a hostile feed must never get that far.
enum LinkResolver {
    static func resolve(_ raw: String, base: String?) -> URL? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let baseURL = base.flatMap { URL(string: $0) }
        guard let url = URL(string: trimmed, relativeTo: baseURL)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { return nil }
        return url
    }
}
