import Foundation
import Core

/// Reduces the many spellings of one article's address to one, so the same story reached
/// through different links (tracking parameters, `www.`, a trailing slash) is recognised as the
/// same story — both when clustering and when skipping stories a user already received.
///
/// Lower-cases scheme and host, drops `www.`, the fragment, default ports, tracking parameters
/// (`utm_*`, `fbclid`, `gclid`, …) and a trailing slash, and sorts the remaining query
/// parameters. Percent-encoding is kept as written. Text that is not an absolute URL is only
/// trimmed.
public enum URLNormalizer {
    /// Query parameters that identify a campaign or a click, never the article.
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
        "wt_mc", "cmpid", "ocid", "spm", "sr_share", "__twitter_impression", "rss", "rss_id",
    ]

    public static func normalize(_ raw: String) -> String {
        let trimmed = raw.trimmingWhitespace()
        guard var components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(),
              let host = components.percentEncodedHost, !host.isEmpty else { return trimmed }
        components.scheme = scheme
        var lowerHost = host.lowercased()
        if lowerHost.hasPrefix("www."), lowerHost.count > 4 { lowerHost.removeFirst(4) }
        components.percentEncodedHost = lowerHost
        if let port = components.port, (scheme == "http" && port == 80) || (scheme == "https" && port == 443) {
            components.port = nil
        }
        components.fragment = nil

        var path = components.percentEncodedPath
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if path == "/" { path = "" }
        components.percentEncodedPath = path

        if let items = components.percentEncodedQueryItems {
            let kept = items
                .filter { !isTracking($0.name) }
                .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        return components.string ?? trimmed
    }

    /// Whether `url` is an absolute http(s) URL: the only links a digest may carry.
    public static func isWebURL(_ url: String) -> Bool {
        let lower = url.prefix(8).lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    static func isTracking(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("utm_") || trackingParameters.contains(lower)
    }
}
