import Core
import Foundation
import Testing
@testable import Pipeline

@Suite("PipelineLoader")
struct PipelineLoaderTests {
    let loader = PipelineLoader()

    private func issues(_ yaml: String) -> [PipelineLoadIssue] {
        do {
            _ = try loader.parse(yaml, file: "pipelines/test.yml", defaultName: "test")
            Issue.record("expected a validation error")
            return []
        } catch {
            #expect(error.file == "pipelines/test.yml")
            return error.issues
        }
    }

    @Test func loadsTheRepositoryDailyPipeline() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("pipelines/daily.yml")
        let daily = try loader.load(contentsOf: url)
        #expect(daily.name == "daily")
        #expect(daily.sources.map(\.name) == ["gnews", "bbc-world", "hacker-news", "lenta"])
        #expect(daily.sources[1].kind == .feed && daily.sources[1].languages == [.en])
        #expect(daily.defaultSources == ["gnews"])
        #expect(daily.cache.ttl == .seconds(3600))
        #expect(daily.cache.lockTTL == .seconds(30))
        #expect(daily.delivery.retry.baseDelay == .milliseconds(500))
        // One GNews call per (topic, language); feeds are for the quota fallback.
        #expect(daily.sources(for: Topic("space")!).map(\.name) == ["gnews"])
        #expect(daily.sources(for: Topic("Rust")!).map(\.name) == ["gnews"])
        #expect(daily.topics["rust"]?.exclude.contains("rust belt") == true)
    }

    @Test func findsANamedPipelineFromInsideTheRepository() throws {
        let batch = TestPaths.repositoryRoot.appendingPathComponent("Tests/PipelineTests")
        let url = try loader.locate("daily", searchingFrom: [batch])
        #expect(url.standardizedFileURL.path.hasSuffix("/pipelines/daily.yml"))
        #expect(throws: PipelineLoadError.self) { try loader.locate("no-such-pipeline-anywhere", searchingFrom: [batch]) }
    }

    @Test func minimalFileTakesDefaultsAndTheFileName() throws {
        let definition = try loader.parse("sources:\n  - name: gnews\n    kind: gnews\n", file: "x.yml", defaultName: "evening")
        #expect(definition.name == "evening")
        #expect(definition.rank == RankPolicy())
        #expect(definition.render == RenderPolicy())
        #expect(definition.defaultSources.isEmpty)
    }

    @Test func unknownKeyNamesFileLineAndKey() {
        let found = issues("""
        sources:
          - name: gnews
            kind: gnews
        rank:
          top_k: 5
          topk: 3
        """)
        #expect(found == [PipelineLoadIssue(line: 6, column: 3, key: "rank.topk",
                                            message: found.first?.message ?? "")])
        #expect(found.first?.message.hasPrefix("unknown key") == true)
        let error = PipelineLoadError(file: "pipelines/test.yml", issues: found)
        #expect(error.description.hasPrefix("pipelines/test.yml:6: rank.topk: unknown key"))
    }

    @Test func typesAndRangesAreChecked() {
        let found = issues("""
        name: daily
        sources:
          - name: gnews
            kind: gnews
            weight: heavy
        cache:
          ttl: soon
        rank:
          top_k: five
          cluster_threshold: 1.5
        render:
          max_message_length: 5000
        delivery:
          global_rate: 0
          per_chat_rate: -1
          retry:
            base_delay: 10s
            max_delay: 1s
        """)
        let byKey = Dictionary(found.map { ($0.key, $0.line) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey == [
            "sources[0].weight": 5, "cache.ttl": 7, "rank.top_k": 9, "rank.cluster_threshold": 10,
            "render.max_message_length": 12, "delivery.global_rate": 14, "delivery.per_chat_rate": 15,
            "delivery.retry.max_delay": 18,
        ])
        #expect(found.map(\.line) == found.map(\.line).sorted(), "issues come in file order")
        #expect(found.first { $0.key == "delivery.global_rate" }?.message == "must be a number > 0")
    }

    @Test func sourcesAreValidatedAndTopicsMayOnlyNameDefinedSources() {
        let found = issues("""
        sources:
          - name: gnews
            kind: gnews
          - name: gnews
            kind: gnews
          - name: tech
            kind: feed
          - kind: rss
            url: ftp://example.com/feed
        default_sources: [gnews, nope]
        topics:
          python:
            sources: [gnews, missing]
            colour: blue
        """)
        let keys = Set(found.map(\.key))
        #expect(keys == ["sources[1].name", "sources[2].url", "sources[3].kind", "sources[3].url", "sources[3].name",
                         "default_sources[1]", "topics.python.sources[1]", "topics.python.colour"])
        #expect(found.first { $0.key == "topics.python.sources[1]" }?.line == 13)
    }

    @Test func sourcesAreRequiredAndTheRootMustBeAMapping() {
        #expect(issues("name: daily\n").map(\.key) == ["sources"])
        #expect(issues("- just\n- a list\n").map(\.message) == ["must be a mapping"])
        #expect(issues("sources: []\n").map(\.message) == ["must name at least one source"])
    }

    @Test func yamlSyntaxErrorsCarryTheirLine() {
        let found = issues("sources:\n  - name: gnews\n    kind: [gnews\ncache: {}\n")
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 >= 3)
        #expect(found.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func durationsAcceptUnitsAndBareSeconds() {
        #expect(PipelineYAMLReader.parseDuration("500ms") == .milliseconds(500))
        #expect(PipelineYAMLReader.parseDuration("30s") == .seconds(30))
        #expect(PipelineYAMLReader.parseDuration("15m") == .seconds(900))
        #expect(PipelineYAMLReader.parseDuration("1h") == .seconds(3600))
        #expect(PipelineYAMLReader.parseDuration("2d") == .seconds(172_800))
        #expect(PipelineYAMLReader.parseDuration("90") == .seconds(90))
        #expect(PipelineYAMLReader.parseDuration("1.5h") == .seconds(5400))
        #expect(PipelineYAMLReader.parseDuration("soon") == nil)
        #expect(PipelineYAMLReader.parseDuration("-5s") == nil)
    }

    @Test func topicKeysAreNormalisedAndDuplicatesAfterNormalisationRejected() throws {
        let definition = try loader.parse("""
        sources:
          - {name: gnews, kind: gnews}
        topics:
          "  Machine   Learning ":
            query: machine learning OR ML
            include: [model]
        """, file: "x.yml", defaultName: "x")
        #expect(definition.topics["machine learning"]?.query == "machine learning OR ML")
        #expect(definition.topics["machine learning"]?.include == ["model"])
        let found = issues("sources:\n  - {name: gnews, kind: gnews}\ntopics:\n  Python: {}\n  python: {}\n")
        #expect(found.map(\.key) == ["topics.python"])
        #expect(found.first?.line == 5)
    }
}
