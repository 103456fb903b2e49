import Core
import Foundation

/// Made-up news for load tests: `articlesPerTopic` articles per query, from a handful of
/// publishers, some titles shared between topics so clustering has work to do.
struct SyntheticNewsSource: NewsSource {
    let name = "gnews"
    let articlesPerTopic: Int
    let clock: any NewsbotClock

    func fetch(_ query: NewsQuery) async throws -> [Article] {
        let publishers = ["Reuters", "BBC News", "The Guardian", "Associated Press", "Ars Technica", "TechCrunch"]
        let now = clock.now()
        return (0..<articlesPerTopic).map { index in
            let shared = index % 5 == 0
            let title = shared ? "Shared story number \(index / 5) about markets & <technology>"
                               : "\(query.topic.name.capitalized) update \(index): what changed this week"
            let publisher = publishers[(index + query.topic.name.count) % publishers.count]
            let slug = title.lowercased().filter { $0.isLetter || $0.isNumber }
            return Article(title: title, url: "https://news.example/\(query.topic.name)/\(slug)?utm_source=x",
                           summary: String(repeating: "Details of the story, explained at some length. ", count: 6),
                           publishedAt: now.addingTimeInterval(-Double(index) * 1800), sourceName: publisher,
                           origin: name)
        }
    }
}
