public import Foundation
public import Core

/// The fetch stage's durable notes on its sources, kept in the news cache (the port every
/// process already shares): the last outcome per (pipeline, source, language, topic), and per
/// pipeline an index of the (language, topic) pairs fetched, which `newsbot sources status`
/// walks. Steady state costs one write per source call; the index is rewritten (under the
/// cache lock) only when a new pair appears.
public struct SourceStatusLog: Sendable {
    /// How long an outcome (and the index) is kept after its last write.
    public static let retention: Duration = .seconds(14 * 86_400)
    /// Pairs kept in one pipeline's index; the oldest additions go first.
    static let maxPairs = 5_000

    let cache: any NewsCache
    let owner: String

    public init(cache: any NewsCache, owner: String = "sources-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)") {
        self.cache = cache
        self.owner = owner
    }

    /// Stores `outcomes` of one fetch and adds their pair to the index when it is new.
    public func record(_ outcomes: [SourceOutcome], pipeline: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for outcome in outcomes {
            try await cache.store(try encoder.encode(outcome),
                                  forKey: Self.outcomeKey(pipeline: pipeline, source: outcome.source,
                                                          language: outcome.language, topic: outcome.topic),
                                  ttl: Self.retention)
        }
        let pairs = Set(outcomes.map { [$0.language.rawValue, $0.topic] })
        let index = self.index(pipeline)
        let known = Set(try await index.read() ?? [])
        guard !pairs.isSubset(of: known) else { return }
        try await index.update { stored in
            var list = stored ?? []
            let present = Set(list)
            list += pairs.subtracting(present).sorted { $0.lexicographicallyPrecedes($1) }
            if list.count > Self.maxPairs { list.removeFirst(list.count - Self.maxPairs) }
            stored = list
        }
    }

    /// The (language, topic) pairs fetched for `pipeline`, in the order first seen.
    public func pairs(pipeline: String) async throws -> [(language: Language, topic: String)] {
        (try await index(pipeline).read() ?? []).compactMap { pair in
            guard pair.count == 2, let language = Language(rawValue: pair[0]) else { return nil }
            return (language, pair[1])
        }
    }

    /// The last outcome of `source` for `topic` in `language`, nil when never fetched (or forgotten).
    public func outcome(pipeline: String, source: String, language: Language, topic: String) async throws -> SourceOutcome? {
        guard let data = try await cache.value(forKey: Self.outcomeKey(pipeline: pipeline, source: source, language: language, topic: topic))
        else { return nil }
        return try? JSONDecoder().decode(SourceOutcome.self, from: data)
    }

    private func index(_ pipeline: String) -> SharedRecord<[[String]]> {
        SharedRecord(cache: cache, key: "newsbot:sources:v1:index:\(pipeline)", ttl: Self.retention, owner: owner)
    }

    static func outcomeKey(pipeline: String, source: String, language: Language, topic: String) -> String {
        "newsbot:sources:v1:last:\(pipeline):\(source):\(language.rawValue):\(topic)"
    }
}
