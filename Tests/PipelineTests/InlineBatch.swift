import Foundation

/// A small replay batch written to a temporary folder: three due users in two time zones and
/// both languages, one paused user, one due user whose only topic has no news, titles with
/// `& < > "` and emoji, and a pipeline file given as a path.
enum InlineBatch {
    static func write(in scratch: ScratchDirectories) throws -> URL {
        let directory = try scratch.make("newsbot-replay-batch")
        func put(_ path: String, _ text: String) throws {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try put("batch.yml", """
        now: 2026-11-26T08:00:00Z
        slot: "08:00"
        pipeline: ./pipeline.yml
        """)
        try put("pipeline.yml", """
        name: qa
        sources:
          - {name: gnews, kind: gnews}
          - {name: tech-feed, kind: feed, url: "https://example.com/feed.xml", languages: [en]}
        default_sources: [gnews]
        topics:
          rust:
            sources: [gnews, tech-feed]
        render:
          summary_length: 80
        """)
        try put("users.json", """
        [
          {"id": 3, "chat_id": 30, "language": "ru", "timezone": "Europe/Moscow", "slots": ["08:00"], "topics": ["ИИ"]},
          {"id": 1, "chat_id": 10, "language": "en", "timezone": "Pacific/Honolulu", "slots": ["08:00", "19:30"], "topics": ["AI", " rust "]},
          {"id": 2, "chat_id": 20, "language": "en", "timezone": "Europe/Berlin", "slots": ["08:00"], "topics": ["ai"], "status": "paused"},
          {"id": 4, "chat_id": 40, "language": "en", "slots": ["08:00"], "topics": ["gardening"]},
          {"id": 5, "chat_id": 50, "language": "en", "timezone": "Europe/Berlin", "slots": ["19:30"], "topics": ["ai"]}
        ]
        """)
        try put("news/gnews/en/ai.json", gnews([
            (#"Tom & Jerry's \"safe\" <AI> 🤖"#, "https://news.example.com/ai-1?utm_source=x", "Example News", "2026-11-26T07:00:00Z"),
            ("Models learn to count", "https://other.example.org/count", "Other Paper", "2026-11-26T05:00:00Z"),
        ]))
        try put("news/gnews/en/rust.json", gnews([
            ("Rust 2.0 ships", "https://news.example.com/rust-2", "Example News", "2026-11-26T06:00:00Z"),
        ]))
        try put("news/gnews/ru/ии.json", gnews([
            ("ИИ пишет «новости»", "https://ru.example.com/ai", "Пример", "2026-11-26T06:30:00Z"),
        ]))
        try put("news/rss/tech-feed.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Tech</title><link>https://example.com/</link><description>Tech</description>
        <item><title>Rust in the kernel</title><link>https://example.com/rust-kernel</link>
        <description>Drivers &amp; more</description><pubDate>Thu, 26 Nov 2026 05:30:00 GMT</pubDate></item>
        </channel></rss>
        """)
        return directory
    }

    private static func gnews(_ articles: [(title: String, url: String, source: String, published: String)]) -> String {
        let items = articles.map { article in
            """
            {"title": "\(article.title)", "description": "About \(article.title).", "content": "",
             "url": "\(article.url)", "image": null, "publishedAt": "\(article.published)",
             "source": {"name": "\(article.source)", "url": "https://\(article.source.lowercased().replacingOccurrences(of: " ", with: "")).example"}}
            """
        }
        return "{\"totalArticles\": \(articles.count), \"articles\": [\(items.joined(separator: ",\n"))]}"
    }
}
