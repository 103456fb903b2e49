/// Small GNews and RSS bodies shared by the source tests.
enum SampleFeeds {
    static let gnews = """
    {"totalArticles": 2, "articles": [
      {"title": "Python 3.14 released", "description": "Free-threading & more", "content": "…",
       "url": "https://python.org/news/314?utm_source=gnews", "image": null,
       "publishedAt": "2026-11-26T06:00:00Z", "source": {"name": "Python Insider", "url": "https://python.org"}},
      {"title": "Пайтон для всех", "description": "Новости", "content": "…",
       "url": "https://habr.com/ru/1", "image": null,
       "publishedAt": "2026-11-26T05:00:00Z", "source": {"name": "Хабр", "url": "https://habr.com"}}
    ]}
    """

    static let rss = """
    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0"><channel><title>Planet Python</title><link>https://planetpython.org/</link>
    <item><title>Typing in Python 3.14</title><link>https://planetpython.org/typing</link>
    <description>&lt;p&gt;All about &lt;b&gt;typing&lt;/b&gt;&lt;/p&gt;</description>
    <pubDate>Thu, 26 Nov 2026 07:00:00 GMT</pubDate></item>
    <item><title>No link here</title></item>
    </channel></rss>
    """

    static let quotaError = #"{"errors": ["You have reached your request limit for today, the next reset will be tomorrow at midnight UTC."]}"#
}
