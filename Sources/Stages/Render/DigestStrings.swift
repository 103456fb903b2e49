public import Core

/// The words of a digest in each language the bot speaks. Plain text: the renderer escapes it.
public struct DigestStrings: Sendable, Hashable {
    public init() {}

    /// `📰 Your digest · 08:00` / `📰 Ваш дайджест · 08:00`.
    public func header(_ language: Language, slot: Slot) -> String {
        switch language {
        case .en: "📰 Your digest · \(slot)"
        case .ru: "📰 Ваш дайджест · \(slot)"
        }
    }

    /// ` (1/2)`, after the header of a digest split into several messages.
    public func partSuffix(_ part: Int, of parts: Int) -> String { " (\(part)/\(parts))" }

    /// `+2 sources` / `+2 источника`: how many other publishers carry the story.
    public func otherSources(_ count: Int, language: Language) -> String {
        switch language {
        case .en: count == 1 ? "+1 source" : "+\(count) sources"
        case .ru: "+\(count) " + Self.russianPlural(count, one: "источник", few: "источника", many: "источников")
        }
    }

    /// A topic as a section title: its normalised name with the first letter capitalised.
    public func sectionTitle(_ topic: Topic) -> String {
        guard let first = topic.name.first else { return topic.name }
        return first.uppercased() + topic.name.dropFirst()
    }

    /// Russian plural forms: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30, 11–14 → many.
    public static func russianPlural(_ count: Int, one: String, few: String, many: String) -> String {
        let n = abs(count)
        let lastTwo = n % 100, last = n % 10
        if last == 1, lastTwo != 11 { return one }
        if (2...4).contains(last), !(12...14).contains(lastTwo) { return few }
        return many
    }
}
