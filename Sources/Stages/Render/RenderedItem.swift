/// One story as digest HTML, rendered once per (topic, language) and reused for every user.
public struct RenderedItem: Sendable, Hashable {
    /// `• <a href="…">title</a> — <i>publisher · +2 sources</i>` and the summary on the next line.
    public var html: String
    /// Its length as Telegram counts it (UTF-16 units of the visible text).
    public var length: Int
    /// The story's normalised URL.
    public var url: String
    /// Normalised URLs of every article of the story (`url` first): a user who received any of
    /// them does not get the story again.
    public var clusterURLs: [String]

    public init(html: String, length: Int, url: String, clusterURLs: [String]) {
        self.html = html
        self.length = length
        self.url = url
        self.clusterURLs = clusterURLs.isEmpty ? [url] : clusterURLs
    }
}
