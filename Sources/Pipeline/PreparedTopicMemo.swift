import Core
import Stages
import Synchronization

/// Each worker's copy of the prepared (escaped, measured) news of every (pipeline, topic,
/// language) for the current cache period, so a run of 200 render chunks decodes and prepares
/// each topic once instead of 200 times. The shared cache holds one immutable value per
/// `NewsCacheKey` (which names the period), so a copy under the same key cannot go stale;
/// results that are only failures are not kept (the fetcher caches those briefly so a broken
/// source is retried soon).
final class PreparedTopicMemo: Sendable {
    private let entries = Mutex<[NewsCacheKey: RenderedTopic]>([:])

    func topic(for key: NewsCacheKey) -> RenderedTopic? {
        entries.withLock { $0[key] }
    }

    func store(_ topic: RenderedTopic, for key: NewsCacheKey) {
        entries.withLock { entries in
            entries[key] = topic
            // Earlier periods go as new ones come, so the memo stays about one entry per pair.
            if entries.count > 4096 { entries = entries.filter { $0.key.period >= key.period } }
        }
    }
}
