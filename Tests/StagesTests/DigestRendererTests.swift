import Foundation
import Testing
import Core
@testable import Stages

@Suite struct DigestRendererTests {
    let run = SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)

    func user(_ topics: [String], language: Language = .en, id: Int64 = 7) -> Subscriber {
        Subscriber(id: id, chatID: id * 10, language: language, timeZone: "Europe/Berlin", slots: [Slot("08:00")!],
                   topics: topics.compactMap(Topic.init))
    }

    func item(_ n: Int, topic: String = "t", others: [String] = [], summary: String = "Short summary.", extraURLs: [String] = []) -> DigestItem {
        let url = "https://news.example/\(topic)/\(n)"
        return DigestItem(title: "Story \(n) about \(topic)", url: url, summary: summary, publishedAt: nil,
                          sourceName: "Publisher \(n)", otherSources: others, clusterURLs: [url] + extraURLs)
    }

    func news(_ topic: String, _ items: [DigestItem], language: Language = .en) -> TopicNews {
        TopicNews(topic: Topic(topic)!, language: language, items: items, fetchedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func escapesHostileTitlesAndURLs() throws {
        let hostile = DigestItem(title: #"<script>alert("x")</script> & Co 🚀"#, url: #"https://evil.example/?q="x"&a=<b>"#,
                                 summary: "Already &amp; escaped <i>not</i> really", publishedAt: nil,
                                 sourceName: "A&B <Ltd>", otherSources: ["X"])
        let renderer = DigestRenderer()
        let messages = renderer.render(for: user(["ai"]), news: renderer.prepare([news("ai", [hostile])]),
                                       alreadyReceived: [], run: run)
        let text = try #require(messages.first?.text)
        #expect(HTMLChecker.problems(text).isEmpty, "\(HTMLChecker.problems(text))")
        #expect(text.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; Co 🚀"))
        #expect(text.contains(#"<a href="https://evil.example/?q=&quot;x&quot;&amp;a=&lt;b&gt;">"#))
        #expect(text.contains("Already &amp;amp; escaped &lt;i&gt;not&lt;/i&gt; really"))
        #expect(text.contains("<i>A&amp;B &lt;Ltd&gt; · +1 source</i>"))
        #expect(!text.contains("<script"))
    }

    @Test func nonWebLinksAreNotLinked() throws {
        let bad = DigestItem(title: "Click me", url: "javascript:alert(1)", summary: "", publishedAt: nil, sourceName: "X")
        let renderer = DigestRenderer()
        let text = try #require(renderer.render(for: user(["ai"]), news: renderer.prepare([news("ai", [bad])]),
                                                alreadyReceived: [], run: run).first?.text)
        #expect(!text.contains("javascript"))
        #expect(!text.contains("<a "))
    }

    @Test func rendersTheExactEnglishLayout() throws {
        let renderer = DigestRenderer()
        let prepared = renderer.prepare([
            news("python", [item(1, topic: "python", others: ["LWN", "The Register"]), item(2, topic: "python", summary: "")]),
            news("ai", [item(3, topic: "ai")]),
        ])
        let messages = renderer.render(for: user(["python", "ai"]), news: prepared, alreadyReceived: [], run: run)
        #expect(messages.count == 1)
        #expect(messages[0].text == """
        <b>📰 Your digest · 08:00</b>

        <b>Ai</b>
        • <a href="https://news.example/ai/3">Story 3 about ai</a> — <i>Publisher 3</i>
        Short summary.

        <b>Python</b>
        • <a href="https://news.example/python/1">Story 1 about python</a> — <i>Publisher 1 · +2 sources</i>
        Short summary.

        • <a href="https://news.example/python/2">Story 2 about python</a> — <i>Publisher 2</i>
        """)
        #expect(messages[0].key == DeliveryKey(userID: 7, slot: run.slot, date: run.date, part: 1))
        #expect(messages[0].chatID == 70)
        #expect(messages[0].parts == 1)
        #expect(messages[0].run == run)
        #expect(messages[0].urls == ["https://news.example/ai/3", "https://news.example/python/1", "https://news.example/python/2"])
    }

    @Test func rendersRussianWithPluralForms() throws {
        let renderer = DigestRenderer()
        let items = [1, 3, 5, 21, 11].enumerated().map { index, count in
            item(index, topic: "ии", others: (0..<count).map { "S\($0)" })
        }
        let text = try #require(renderer.render(for: user(["ии"], language: .ru), news: renderer.prepare([news("ии", items, language: .ru)]),
                                                alreadyReceived: [], run: run).first?.text)
        #expect(text.hasPrefix("<b>📰 Ваш дайджест · 08:00</b>\n\n<b>Ии</b>\n"))
        for phrase in ["+1 источник<", "+3 источника<", "+5 источников<", "+21 источник<", "+11 источников<"] {
            #expect(text.contains(phrase), "\(phrase)")
        }
        // The Russian user does not see English news of the same topic.
        let english = renderer.prepare([news("ии", items, language: .en)])
        #expect(renderer.render(for: user(["ии"], language: .ru), news: english, alreadyReceived: [], run: run).isEmpty)
    }

    @Test func pluralRules() {
        let forms = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112].map {
            DigestStrings.russianPlural($0, one: "1", few: "2", many: "5")
        }
        #expect(forms == ["5", "1", "2", "2", "5", "5", "5", "5", "1", "2", "5", "1", "5", "5"])
        #expect(DigestStrings().otherSources(1, language: .en) == "+1 source")
        #expect(DigestStrings().otherSources(3, language: .en) == "+3 sources")
    }

    @Test func splitsAtItemBoundariesWithinTelegramsLimit() throws {
        let long = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 6)
        let topics = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
        let renderer = DigestRenderer(policy: RenderPolicy(maxItemsPerTopic: 5, maxItems: 30, summaryLength: 300))
        let prepared = renderer.prepare(topics.map { topic in
            news(topic, (1...5).map { item($0, topic: topic, others: ["Other"], summary: "Émoji 📰 & <tags> " + long) })
        })
        let messages = renderer.render(for: user(topics), news: prepared, alreadyReceived: [], run: run)
        #expect(messages.count > 1)
        var seenItems: [String] = []
        for (index, message) in messages.enumerated() {
            #expect(TelegramHTMLText.visibleLength(ofHTML: message.text) <= 4096)
            #expect(HTMLChecker.problems(message.text).isEmpty)
            #expect(message.text.hasPrefix("<b>📰 Your digest · 08:00 (\(index + 1)/\(messages.count))</b>\n\n<b>"))
            #expect(message.key.part == index + 1)
            #expect(message.parts == messages.count)
            seenItems += message.urls
        }
        // Every item exactly once, in digest order, and each whole inside one message.
        let expectedURLs = topics.sorted().flatMap { topic in (1...5).map { "https://news.example/\(topic)/\($0)" } }
        #expect(seenItems == expectedURLs)
        for topic in prepared.allItems() {
            #expect(messages.filter { $0.text.contains(topic.html) }.count == 1)
        }
    }

    @Test func computedLengthMatchesTheHTMLCounter() throws {
        let renderer = DigestRenderer()
        let hostile = DigestItem(title: "Q&A: <b>bold</b> 👩‍💻 \"quotes\"", url: "https://x.example/a?b=1&c=2", summary: "Ä & ö < ü > 😀",
                                 publishedAt: nil, sourceName: "R&D", otherSources: ["a", "b"])
        let prepared = renderer.prepare(news("code", [hostile]))
        let rendered = try #require(prepared.items.first)
        #expect(rendered.length == TelegramHTMLText.visibleLength(ofHTML: rendered.html))
        #expect(prepared.titleLength == TelegramHTMLText.visibleLength(ofHTML: prepared.titleHTML))
    }

    @Test func anItemLongerThanAMessageIsShortenedSafely() throws {
        let huge = String(repeating: "word&<> ", count: 1500)
        let giant = DigestItem(title: String(repeating: "Title & <more> ", count: 400), url: "https://x.example/1",
                               summary: huge, publishedAt: nil, sourceName: "Pub")
        let renderer = DigestRenderer(policy: RenderPolicy(summaryLength: 20_000))
        let messages = renderer.render(for: user(["x"]), news: renderer.prepare([news("x", [giant, item(2, topic: "x")])]),
                                       alreadyReceived: [], run: run)
        for message in messages {
            #expect(TelegramHTMLText.visibleLength(ofHTML: message.text) <= 4096)
            #expect(HTMLChecker.problems(message.text).isEmpty)
        }
        #expect(messages.count == 2)
        #expect(messages[0].text.contains("…"))
    }

    @Test func leavesOutStoriesAlreadyReceived() {
        let renderer = DigestRenderer()
        let prepared = renderer.prepare([news("ai", [item(1, topic: "ai", extraURLs: ["https://other.example/same-story"]), item(2, topic: "ai")])])
        let messages = renderer.render(for: user(["ai"]), news: prepared,
                                       alreadyReceived: ["https://other.example/same-story"], run: run)
        #expect(messages.count == 1)
        #expect(messages[0].urls == ["https://news.example/ai/2"])
        let nothing = renderer.render(for: user(["ai"]), news: prepared,
                                      alreadyReceived: ["https://news.example/ai/1", "https://news.example/ai/2"], run: run)
        #expect(nothing.isEmpty)
    }

    @Test func userWithoutNewsGetsNothing() {
        let renderer = DigestRenderer()
        let prepared = renderer.prepare([news("ai", []), news("rust", [item(1)])])
        #expect(renderer.render(for: user(["ai", "go"]), news: prepared, alreadyReceived: [], run: run).isEmpty)
    }

    @Test func capsPerTopicAndInTotalRoundRobin() {
        let renderer = DigestRenderer(policy: RenderPolicy(maxItemsPerTopic: 2, maxItems: 3))
        let prepared = renderer.prepare([
            news("alpha", (1...5).map { item($0, topic: "alpha") }),
            news("beta", (1...5).map { item($0, topic: "beta") }),
        ])
        let messages = renderer.render(for: user(["alpha", "beta"]), news: prepared, alreadyReceived: [], run: run)
        #expect(messages.flatMap(\.urls) == ["https://news.example/alpha/1", "https://news.example/alpha/2", "https://news.example/beta/1"])
    }

    @Test func aStoryUnderTwoTopicsIsShownOnce() {
        let shared = DigestItem(title: "Shared story", url: "https://shared.example/1", summary: "", publishedAt: nil, sourceName: "S")
        let renderer = DigestRenderer()
        let prepared = renderer.prepare([news("alpha", [item(1, topic: "alpha"), shared]), news("beta", [shared, item(2, topic: "beta")])])
        let urls = renderer.render(for: user(["alpha", "beta"]), news: prepared, alreadyReceived: [], run: run).flatMap(\.urls)
        #expect(urls.filter { $0 == "https://shared.example/1" }.count == 1)
        #expect(urls.count == 3)
    }

    @Test func isDeterministic() {
        let renderer = DigestRenderer(policy: RenderPolicy(maxMessageLength: 600))
        let topicNews = ["a", "b", "c"].map { t in news(t, (1...4).map { item($0, topic: t, others: ["X", "Y"]) }) }
        let first = renderer.render(for: user(["c", "a", "b"]), news: renderer.prepare(topicNews), alreadyReceived: [], run: run)
        let second = renderer.render(for: user(["b", "c", "a"]), news: renderer.prepare(topicNews.reversed()), alreadyReceived: [], run: run)
        #expect(first.count > 1)
        #expect(first == second)
    }
}

extension RenderedNews {
    /// Every prepared item of every topic (test helper).
    func allItems() -> [RenderedItem] {
        var items: [RenderedItem] = []
        for language in Language.allCases {
            for topic in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"] {
                items += self[Topic(topic)!, language]?.items ?? []
            }
        }
        return items
    }
}
