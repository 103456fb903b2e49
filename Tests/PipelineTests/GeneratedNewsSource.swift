import Core
import Foundation
import Synchronization

/// A news source that makes up a few articles per topic (none for topics in `silent`) and
/// counts the calls it gets, to check that each (topic, language) is fetched once.
final class GeneratedNewsSource: NewsSource {
    let name = "gnews"
    let silent: Set<String>
    let now: Date
    private let calls = Mutex<[String: Int]>([:])

    init(silent: Set<String> = [], now: Date) {
        self.silent = silent
        self.now = now
    }

    /// Calls per `language:topic`.
    var callsByQuery: [String: Int] { calls.withLock { $0 } }
    var totalCalls: Int { callsByQuery.values.reduce(0, +) }

    func fetch(_ query: NewsQuery) async throws -> [Article] {
        calls.withLock { $0[query.cacheKey, default: 0] += 1 }
        guard !silent.contains(query.topic.name) else { return [] }
        return (1...3).map { index in
            Article(title: "\(query.topic.name) story \(index) (\(query.language.rawValue))",
                    url: "https://news.example.com/\(query.language.rawValue)/\(query.topic.name)/\(index)",
                    summary: "What happened in \(query.topic.name), part \(index).",
                    publishedAt: now.addingTimeInterval(-Double(index) * 3600),
                    sourceName: "Publisher \(index)", origin: name)
        }
    }
}
