public import Core

/// The render stage: one user's digest as Telegram HTML messages.
///
/// Two steps so that 100,000 users cost little more than string concatenation: `prepare` renders
/// each (topic, language) once — escaping, summaries cut at a word boundary, "+N sources",
/// lengths as Telegram counts them — and `render` picks a user's items and stitches the prepared
/// HTML into messages of at most `maxMessageLength`, split only between items.
///
/// Items: the user's topics in subscription (sorted) order; stories the user already received
/// (any URL of the story's cluster) and stories already picked under an earlier topic are left
/// out; at most `maxItemsPerTopic` per topic and `maxItems` in all, picked round-robin over the
/// topics so that a long topic list does not starve its last topics.
public struct DigestRenderer: Sendable {
    public var policy: RenderPolicy
    public var strings: DigestStrings

    public init(policy: RenderPolicy = .init(), strings: DigestStrings = .init()) {
        self.policy = policy
        self.strings = strings
    }

    // MARK: once per (topic, language)

    /// Renders a topic's items. An item that could not fit one message on its own (with the
    /// longest possible header and its section title) is shortened: summary first, then title.
    public func prepare(_ news: TopicNews) -> RenderedTopic {
        let title = TelegramHTMLText.clean(strings.sectionTitle(news.topic))
        let titleLength = title.utf16.count
        let budget = max(40, policy.maxMessageLength - longestHeaderLength(news.language) - 2 - titleLength - 1)
        return RenderedTopic(topic: news.topic, language: news.language,
                             titleHTML: "<b>" + TelegramHTMLText.escapeText(title) + "</b>", titleLength: titleLength,
                             items: news.items.map { prepare($0, language: news.language, budget: budget) })
    }

    /// Prepares every topic: the lookup `render` takes.
    public func prepare(_ news: [TopicNews]) -> RenderedNews {
        RenderedNews(news.map { prepare($0) })
    }

    func prepare(_ item: DigestItem, language: Language, budget: Int) -> RenderedItem {
        var title = TelegramHTMLText.clean(item.title)
        let publisher = TelegramHTMLText.truncate(TelegramHTMLText.clean(item.sourceName), maxCharacters: 80)
        var meta = publisher
        if !item.otherSources.isEmpty {
            let more = strings.otherSources(item.otherSources.count, language: language)
            meta = meta.isEmpty ? more : meta + " · " + more
        }
        var summary = ""
        if policy.summaryLength > 0 {
            let cleaned = TelegramHTMLText.clean(item.summary)
            if cleaned != title { summary = TelegramHTMLText.truncate(cleaned, maxCharacters: policy.summaryLength) }
        }
        // "• " + title + " — " + meta, then "\n" + summary.
        let metaLength = meta.isEmpty ? 0 : 3 + meta.utf16.count
        func length() -> Int { 2 + title.utf16.count + metaLength + (summary.isEmpty ? 0 : 1 + summary.utf16.count) }
        if length() > budget {
            let room = budget - (2 + title.utf16.count + metaLength) - 1
            summary = room >= 20 ? TelegramHTMLText.truncate(summary, maxUTF16: room) : ""
        }
        if length() > budget {
            title = TelegramHTMLText.truncate(title, maxUTF16: max(1, budget - 2 - metaLength))
        }

        var html = "• "
        if URLNormalizer.isWebURL(item.url) {
            html += "<a href=\"" + TelegramHTMLText.escapeAttribute(item.url) + "\">" + TelegramHTMLText.escapeText(title) + "</a>"
        } else {
            html += TelegramHTMLText.escapeText(title)
        }
        if !meta.isEmpty { html += " — <i>" + TelegramHTMLText.escapeText(meta) + "</i>" }
        if !summary.isEmpty { html += "\n" + TelegramHTMLText.escapeText(summary) }
        return RenderedItem(html: html, length: length(), url: item.url, clusterURLs: item.clusterURLs)
    }

    /// The header with the widest part suffix possible under `maxItems` (parts ≤ items).
    func longestHeaderLength(_ language: Language) -> Int {
        let widest = max(policy.maxItems, 1)
        return headerText(language, slot: Slot(hour: 0, minute: 0)!).utf16.count + strings.partSuffix(widest, of: widest).utf16.count
    }

    func headerText(_ language: Language, slot: Slot) -> String {
        TelegramHTMLText.clean(strings.header(language, slot: slot))
    }

    // MARK: per user

    /// The user's digest for `run` (its slot and local date key the messages), or no message
    /// when none of the user's topics has anything new: the caller counts that as `no_news`.
    ///
    /// - Parameter alreadyReceived: normalised URLs from the user's earlier digests.
    public func render(for user: Subscriber, news: RenderedNews, alreadyReceived: Set<String>, run: SlotRunKey) -> [DigestMessage] {
        let sections = select(for: user, news: news, alreadyReceived: alreadyReceived)
        guard !sections.isEmpty else { return [] }
        let header = headerText(user.language, slot: run.slot)
        let parts = split(sections, headerLength: header.utf16.count)
        return parts.enumerated().map { index, part in
            let suffix = parts.count > 1 ? strings.partSuffix(index + 1, of: parts.count) : ""
            var text = "<b>" + TelegramHTMLText.escapeText(header + suffix) + "</b>"
            var urls: [String] = []
            for section in part {
                text += "\n\n" + section.topic.titleHTML
                for (position, item) in section.items.enumerated() {
                    text += position == 0 ? "\n" : "\n\n"
                    text += item.html
                    urls += item.clusterURLs
                }
            }
            return DigestMessage(key: DeliveryKey(userID: user.id, slot: run.slot, date: run.date, part: index + 1),
                                 run: run, chatID: user.chatID, parts: parts.count, text: text, urls: urls)
        }
    }

    /// A topic with the items picked for one user (or for one part of the digest).
    struct Section {
        var topic: RenderedTopic
        var items: [RenderedItem]
    }

    /// Picks items round-robin over the user's topics: rank 1 of every topic, then rank 2, …
    func select(for user: Subscriber, news: RenderedNews, alreadyReceived: Set<String>) -> [Section] {
        var sections: [Section] = []
        for topic in user.topics {
            if let rendered = news[topic, user.language], !rendered.items.isEmpty {
                sections.append(Section(topic: rendered, items: []))
            }
        }
        guard !sections.isEmpty, policy.maxItemsPerTopic > 0, policy.maxItems > 0 else { return [] }
        let checkDuplicates = sections.count > 1
        var picked = Set<String>()
        var cursors = [Int](repeating: 0, count: sections.count)
        var total = 0
        var progressed = true
        while progressed, total < policy.maxItems {
            progressed = false
            for s in sections.indices where total < policy.maxItems && sections[s].items.count < policy.maxItemsPerTopic {
                let candidates = sections[s].topic.items
                while cursors[s] < candidates.count {
                    let item = candidates[cursors[s]]
                    cursors[s] += 1
                    if !alreadyReceived.isEmpty, item.clusterURLs.contains(where: alreadyReceived.contains) { continue }
                    if checkDuplicates {
                        if item.clusterURLs.contains(where: picked.contains) { continue }
                        picked.formUnion(item.clusterURLs)
                    }
                    sections[s].items.append(item)
                    total += 1
                    progressed = true
                    break
                }
            }
        }
        return sections.filter { !$0.items.isEmpty }
    }

    /// Splits sections into messages at item boundaries; a section continued in the next message
    /// repeats its title. When one message is not enough, room for the widest ` (k/n)` is kept.
    func split(_ sections: [Section], headerLength: Int) -> [[Section]] {
        let limit = policy.maxMessageLength
        var whole = headerLength
        var itemCount = 0
        for section in sections {
            whole += 2 + section.topic.titleLength
            for (position, item) in section.items.enumerated() { whole += (position == 0 ? 1 : 2) + item.length }
            itemCount += section.items.count
        }
        if whole <= limit { return [sections] }

        let reservedHeader = headerLength + strings.partSuffix(itemCount, of: itemCount).utf16.count
        var parts: [[Section]] = []
        var current: [Section] = []
        var length = reservedHeader
        for section in sections {
            for item in section.items {
                let continuing = current.last?.topic.topic == section.topic.topic
                var cost = continuing ? 2 + item.length : 2 + section.topic.titleLength + 1 + item.length
                if length + cost > limit, !current.isEmpty {
                    parts.append(current)
                    current = []
                    length = reservedHeader
                    cost = 2 + section.topic.titleLength + 1 + item.length
                }
                if current.last?.topic.topic == section.topic.topic {
                    current[current.count - 1].items.append(item)
                } else {
                    current.append(Section(topic: section.topic, items: [item]))
                }
                length += cost
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}
