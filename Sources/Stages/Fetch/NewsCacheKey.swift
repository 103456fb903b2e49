import Foundation
public import Core

/// The cache key of one (pipeline, language, topic) in one cache period. The period is the
/// number of whole `ttl`s since the Unix epoch, so every process computes the same key for the
/// same hour without talking to each other, and a new period is a new key (a new fetch).
public struct NewsCacheKey: Sendable, Hashable, CustomStringConvertible {
    public var pipeline: String
    public var language: Language
    public var topic: Topic
    public var period: Int64

    public init(pipeline: String, language: Language, topic: Topic, period: Int64) {
        self.pipeline = pipeline
        self.language = language
        self.topic = topic
        self.period = period
    }

    /// The key for `now` with periods of `ttl` (at least one second).
    public init(pipeline: String, language: Language, topic: Topic, now: Date, ttl: Duration) {
        let seconds = max(ttl.timeInterval, 1)
        self.init(pipeline: pipeline, language: language, topic: topic,
                  period: Int64((now.timeIntervalSince1970 / seconds).rounded(.down)))
    }

    /// `newsbot:news:v1:daily:en:python:493921`; `v1` names the cached JSON's shape.
    public var description: String { "newsbot:news:v1:\(pipeline):\(language.rawValue):\(topic.name):\(period)" }

    /// The single-flight lock guarding the fetch of this key.
    public var lockKey: String { description + ":lock" }
}
