public import Foundation
public import Core
import Feeds

/// News from a replay batch folder instead of the network: `news/gnews/LANG/QUERY.json` (a GNews
/// v4 `/search` response; QUERY is the normalised topic) for the GNews source and
/// `news/rss/NAME.xml` for a feed source named NAME. A missing file means no news, not an error;
/// a file that does not parse, or a GNews error body, fails like the real source would.
public struct FixtureNewsSource: NewsSource {
    public let name: String
    public let kind: SourceDefinition.Kind
    /// The batch folder (the one holding `news/`).
    public let batchDirectory: URL
    private let parser: FeedParser
    private let clock: any NewsbotClock

    public init(name: String, kind: SourceDefinition.Kind, batchDirectory: URL,
                parser: FeedParser = FeedParser(), clock: any NewsbotClock = SystemClock()) {
        self.name = name
        self.kind = kind
        self.batchDirectory = batchDirectory
        self.parser = parser
        self.clock = clock
    }

    /// One fixture source per source of `pipeline`, keyed by name: the registry `NewsFetcher` takes.
    public static func registry(for pipeline: PipelineDefinition, batchDirectory: URL,
                                clock: any NewsbotClock = SystemClock()) -> [String: any NewsSource] {
        var registry: [String: any NewsSource] = [:]
        for source in pipeline.sources {
            registry[source.name] = FixtureNewsSource(name: source.name, kind: source.kind,
                                                      batchDirectory: batchDirectory, clock: clock)
        }
        return registry
    }

    /// The fixture file answering `query`, or nil when the topic cannot name a file.
    public func file(for query: NewsQuery) -> URL? {
        switch kind {
        case .gnews:
            let topic = query.topic.name
            guard !topic.contains("/"), !topic.hasPrefix(".") else { return nil }
            return batchDirectory.appendingPathComponent("news/gnews/\(query.language.rawValue)/\(topic).json")
        case .feed:
            guard !name.contains("/"), !name.hasPrefix(".") else { return nil }
            return batchDirectory.appendingPathComponent("news/rss/\(name).xml")
        }
    }

    public func fetch(_ query: NewsQuery) async throws -> [Article] {
        guard let file = file(for: query), FileManager.default.fileExists(atPath: file.path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw NewsSourceError.invalidResponse("cannot read \(file.lastPathComponent)")
        }
        do {
            return Article.articles(of: try parser.parse(data), origin: name)
        } catch {
            throw kind == .gnews ? GNewsErrors.error(error, now: clock.now()) : NewsSourceError.invalidResponse(error.description)
        }
    }
}
