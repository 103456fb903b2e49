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
    /// 64-bit FNV-1a hashes of `clusterURLs`: comparing stories picked under several topics of one
    /// user costs integer compares instead of string hashing. Deterministic across processes.
    let storyKeys: [UInt64]

    public init(html: String, length: Int, url: String, clusterURLs: [String]) {
        self.html = html
        self.length = length
        self.url = url
        self.clusterURLs = clusterURLs.isEmpty ? [url] : clusterURLs
        self.storyKeys = self.clusterURLs.map(Self.fnv1a)
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
