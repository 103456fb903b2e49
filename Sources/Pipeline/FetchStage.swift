import Core
import Logging
import Stages

/// Step 2: fetches and ranks one (topic, language) through the shared cache, so the render
/// chunks that follow find it there. Fetching is also done on demand by rendering (the same
/// single-flight path), so this stage only moves the source calls ahead of the renders; losing a
/// fetch job costs nothing but latency.
struct FetchStage: Sendable {
    let environment: PipelineEnvironment

    func fetch(pipeline name: String, topic: Topic, language: Language) async throws {
        let pipeline = try environment.pipeline(name)
        let news = try await environment.fetcher.news(for: topic, language: language, pipeline: pipeline)
        if !news.failures.isEmpty {
            environment.logger.notice("pipeline: fetched with source failures", metadata: [
                "newsbot.topic": "\(topic)", "newsbot.language": "\(language.rawValue)",
                "newsbot.fetch.failures": "\(news.failures.joined(separator: "; "))",
            ])
        }
    }
}
