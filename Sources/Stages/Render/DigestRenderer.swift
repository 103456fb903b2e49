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
        return strings.header(language, slot: Slot(hour: 0, minute: 0)!).utf16.count + strings.partSuffix(widest, of: widest).utf16.count
    }

    // MARK: per user

    /// The user's digest for `run` (its slot and local date key the messages), or no message
    /// when none of the user's topics has anything new: the caller counts that as `no_news`.
    ///
    /// - Parameter alreadyReceived: normalised URLs from the user's earlier digests.
    public func render(for user: Subscriber, news: RenderedNews, alreadyReceived: Set<String>, run: SlotRunKey) -> [DigestMessage] {
        let sections = select(for: user, news: news, alreadyReceived: alreadyReceived)
        guard !sections.isEmpty else { return [] }
        // Header strings are ours (no markup, no stray whitespace): escaping is all they need.
        let header = strings.header(user.language, slot: run.slot)
        let headerHTML = TelegramHTMLText.escapeMarkup(header)
        let parts = split(sections, headerLength: header.utf16.count)
        var messages: [DigestMessage] = []
        messages.reserveCapacity(parts.count)
        for (index, part) in parts.enumerated() {
            var size = headerHTML.utf8.count + 24
            var urlCount = 0
            for section in part {
                size += 2 + section.topic.titleHTML.utf8.count
                for i in section.items {
                    size += 2 + section.topic.items[i].html.utf8.count
                    urlCount += section.topic.items[i].clusterURLs.count
                }
            }
            var text = ""
            text.reserveCapacity(size)
            text += "<b>"
            text += headerHTML
            if parts.count > 1 { text += TelegramHTMLText.escapeMarkup(strings.partSuffix(index + 1, of: parts.count)) }
            text += "</b>"
            var urls: [String] = []
            urls.reserveCapacity(urlCount)
            for section in part {
                text += "\n\n"
                text += section.topic.titleHTML
                var first = true
                for i in section.items {
                    text += first ? "\n" : "\n\n"
                    text += section.topic.items[i].html
                    urls += section.topic.items[i].clusterURLs
                    first = false
                }
            }
            messages.append(DigestMessage(key: DeliveryKey(userID: user.id, slot: run.slot, date: run.date, part: index + 1),
                                          run: run, chatID: user.chatID, parts: parts.count, text: text, urls: urls))
        }
        return messages
    }

    /// A topic with the items picked for one user (or for one part of the digest), as indices
    /// into `topic.items`: cheaper to copy around than the items themselves.
    struct Section {
        var topic: RenderedTopic
        var items: [Int]
    }

    /// Picks items round-robin over the user's topics: rank 1 of every topic, then rank 2, …
    func select(for user: Subscriber, news: RenderedNews, alreadyReceived: Set<String>) -> [Section] {
        var sections: [Section] = []
        sections.reserveCapacity(user.topics.count)
        for topic in user.topics {
            if let rendered = news[topic, user.language], !rendered.items.isEmpty {
                sections.append(Section(topic: rendered, items: []))
            }
        }
        guard !sections.isEmpty, policy.maxItemsPerTopic > 0, policy.maxItems > 0 else { return [] }
        let checkDuplicates = sections.count > 1
        let checkReceived = !alreadyReceived.isEmpty
        var picked: [UInt64] = []
        if checkDuplicates { picked.reserveCapacity(min(policy.maxItems, 64) * 2) }
        var cursors = [Int](repeating: 0, count: sections.count)
        var total = 0
        var progressed = true
        while progressed, total < policy.maxItems {
            progressed = false
            for s in sections.indices where total < policy.maxItems && sections[s].items.count < policy.maxItemsPerTopic {
                let count = sections[s].topic.items.count
                while cursors[s] < count {
                    let index = cursors[s]
                    cursors[s] += 1
                    if checkReceived, sections[s].topic.items[index].clusterURLs.contains(where: alreadyReceived.contains) { continue }
                    if checkDuplicates {
                        let keys = sections[s].topic.items[index].storyKeys
                        if keys.contains(where: picked.contains) { continue }
                        picked += keys
                    }
                    sections[s].items.append(index)
                    total += 1
                    progressed = true
                    break
                }
            }
        }
        sections.removeAll { $0.items.isEmpty }
        return sections
    }

    /// Splits sections into messages at item boundaries; a section continued in the next message
    /// repeats its title. When one message is not enough, room for the widest ` (k/n)` is kept.
    func split(_ sections: [Section], headerLength: Int) -> [[Section]] {
        let limit = policy.maxMessageLength
        var whole = headerLength
        var itemCount = 0
        for section in sections {
            whole += 2 + section.topic.titleLength + 1
            for i in section.items { whole += 2 + section.topic.items[i].length }
            whole -= 2 // the first item of a section follows its title after one newline, not two
            itemCount += section.items.count
        }
        if whole <= limit { return [sections] }

        let reservedHeader = headerLength + strings.partSuffix(itemCount, of: itemCount).utf16.count
        var parts: [[Section]] = []
        var current: [Section] = []
        var length = reservedHeader
        for section in sections {
            let opening = 2 + section.topic.titleLength + 1
            for i in section.items {
                let itemLength = section.topic.items[i].length
                let continuing = current.last?.topic.topic == section.topic.topic
                if length + (continuing ? 2 : opening) + itemLength > limit, !current.isEmpty {
                    parts.append(current)
                    current = []
                    length = reservedHeader
                }
                if current.last?.topic.topic == section.topic.topic {
                    current[current.count - 1].items.append(i)
                    length += 2 + itemLength
                } else {
                    current.append(Section(topic: section.topic, items: [i]))
                    length += opening + itemLength
                }
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}
