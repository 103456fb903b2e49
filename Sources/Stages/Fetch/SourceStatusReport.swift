public import Foundation
public import Core
import Feeds

/// `newsbot sources status` for one pipeline: GNews usage today, and per topic, language and
/// source the last fetch time, outcome, item count and whether the topic's news is cached for
/// the current period. Read from the news cache, so it sees what every process did.
public struct SourceStatusReport: Sendable {
    /// One GNews source's requests today (also printed by `newsbot pipeline status`).
    public struct GNewsLine: Sendable, Hashable {
        public var source: String
        /// Nil when no request was recorded today.
        public var usage: GNewsUsage?
        public var quota: Int?

        /// One line per GNews source of `pipelines` (each name once), from the shared usage records.
        public static func collect(pipelines: [PipelineDefinition], cache: any NewsCache, quota: Int?, now: Date) async throws -> [GNewsLine] {
            var names: [String] = []
            for pipeline in pipelines {
                for source in pipeline.sources where source.kind == .gnews && !names.contains(source.name) { names.append(source.name) }
            }
            var lines: [GNewsLine] = []
            for name in names {
                lines.append(GNewsLine(source: name, usage: try await GNewsSource.storedUsage(name: name, in: cache, now: now), quota: quota))
            }
            return lines
        }

        /// `gnews: 12 GNews requests today, 88 left of 100[, quota spent until …][, rate limited until …]`.
        public func text(at now: Date) -> String {
            let usage = (usage ?? GNewsUsage(day: GNewsUsage.day(of: now))).current(at: now)
            var text = "\(source): \(usage.requests) GNews requests today"
            if let quota, let left = usage.left(quota: quota) { text += ", \(left) left of \(quota)" }
            if let until = usage.exhaustedUntil, until > now { text += ", quota spent until \(FeedDate.iso8601UTC(until))" }
            if let until = usage.backoffUntil, until > now { text += ", rate limited until \(FeedDate.iso8601UTC(until))" }
            return text
        }
    }

    public struct Row: Sendable, Hashable {
        public var topic: String
        /// Nil for a configured topic never fetched (its language is not known yet).
        public var language: Language?
        public var source: String
        public var outcome: SourceOutcome?
        /// `cached (N items)`, `not cached`, or `-` when the language is unknown.
        public var cache: String
    }

    public var pipeline: String
    public var now: Date
    public var gnews: [GNewsLine]
    public var rows: [Row]

    public static func collect(pipeline: PipelineDefinition, cache: any NewsCache, gnewsQuota: Int?, now: Date) async throws -> SourceStatusReport {
        let gnews = try await GNewsLine.collect(pipelines: [pipeline], cache: cache, quota: gnewsQuota, now: now)
        let log = SourceStatusLog(cache: cache)
        var pairs = try await log.pairs(pipeline: pipeline.name)
        pairs.sort { ($0.topic, $0.language) < ($1.topic, $1.language) }
        var rows: [Row] = []
        for pair in pairs {
            guard let topic = Topic(pair.topic) else { continue }
            let state = try await cacheState(pipeline: pipeline, topic: topic, language: pair.language, cache: cache, now: now)
            let configured = Set(pipeline.sources(for: topic)
                .filter { $0.languages.isEmpty || $0.languages.contains(pair.language) }.map(\.name))
            for source in pipeline.sources {
                let outcome = try await log.outcome(pipeline: pipeline.name, source: source.name, language: pair.language, topic: pair.topic)
                guard outcome != nil || configured.contains(source.name) else { continue }
                rows.append(Row(topic: pair.topic, language: pair.language, source: source.name, outcome: outcome, cache: state))
            }
        }
        let fetched = Set(pairs.map(\.topic))
        for name in pipeline.topics.keys.sorted() where !fetched.contains(name) {
            guard let topic = Topic(name) else { continue }
            for source in pipeline.sources(for: topic) {
                rows.append(Row(topic: name, language: nil, source: source.name, outcome: nil, cache: "-"))
            }
        }
        return SourceStatusReport(pipeline: pipeline.name, now: now, gnews: gnews, rows: rows)
    }

    /// Error texts cut to keep the table readable.
    private static func shortened(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(59)) + "…" : text
    }

    private static func cacheState(pipeline: PipelineDefinition, topic: Topic, language: Language,
                                   cache: any NewsCache, now: Date) async throws -> String {
        let key = NewsCacheKey(pipeline: pipeline.name, language: language, topic: topic, now: now, ttl: pipeline.cache.ttl)
        guard let data = try await cache.value(forKey: key.description) else { return "not cached" }
        guard let news = try? TopicNewsCoding.decode(data) else { return "unreadable" }
        return "cached (\(news.items.count) items)"
    }

    /// The report as text: a GNews line per GNews source, then one table row per topic and source.
    public var lines: [String] {
        var lines = ["pipeline \(pipeline) at \(FeedDate.iso8601UTC(now))"]
        lines += gnews.map { $0.text(at: now) }
        guard !rows.isEmpty else { return lines + ["no topics fetched yet"] }
        let table = [["TOPIC", "LANG", "SOURCE", "LAST FETCH", "OUTCOME", "ITEMS", "CACHE"]] + rows.map { row in
            [row.topic, row.language?.rawValue ?? "-", row.source,
             row.outcome.map { FeedDate.iso8601UTC($0.fetchedAt) } ?? "never",
             row.outcome.map { Self.shortened($0.error ?? "ok") + ($0.fallback ? " (fallback)" : "") } ?? "-",
             row.outcome.map { String($0.items) } ?? "-", row.cache]
        }
        let widths = (0..<7).map { column in table.map { $0[column].count }.max() ?? 0 }
        for cells in table {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            lines.append(padded.joined(separator: "  "))
        }
        return lines
    }
}
