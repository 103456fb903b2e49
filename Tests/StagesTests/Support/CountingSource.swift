import Foundation
import Synchronization
import Core

/// A news source that counts its calls, optionally takes its time, and answers from a closure.
final class CountingSource: NewsSource {
    let name: String
    private let delay: Duration
    private let answer: @Sendable (NewsQuery) throws -> [Article]
    private let state = Mutex<[NewsQuery]>([])

    init(name: String, delay: Duration = .zero, answer: @escaping @Sendable (NewsQuery) throws -> [Article]) {
        self.name = name
        self.delay = delay
        self.answer = answer
    }

    var calls: Int { state.withLock { $0.count } }
    var queries: [NewsQuery] { state.withLock { $0 } }

    func fetch(_ query: NewsQuery) async throws -> [Article] {
        state.withLock { $0.append(query) }
        if delay > .zero { try await Task.sleep(for: delay) }
        return try answer(query)
    }
}
