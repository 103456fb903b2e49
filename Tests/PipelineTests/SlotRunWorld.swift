import Core
import Delivery
import Foundation
import Logging
import SQLiteBackend
import Stages
@testable import Pipeline

/// Subscribers, backends and workers for whole slot runs: memory adapters, or the embedded
/// SQLite defaults on a file that outlives a "killed" set of workers.
struct SlotRunWorld {
    enum Backend: String, CaseIterable, CustomStringConvertible {
        case memory, sqlite
        var description: String { rawValue }
    }

    static let quiet = Logger(label: "test.pipeline", factory: { _ in SwiftLogNoOpLogHandler() })
    static let run = SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)
    static let pipeline = PipelineDefinition(name: "daily", delivery: DeliveryPolicy(globalRate: 0, perChatRate: 0,
                                                                                       perGroupPerMinute: 0, concurrency: 16))

    let store: any SubscriberStore
    let queue: any JobQueue
    let cache: any NewsCache
    let source: GeneratedNewsSource
    let database: SQLiteDatabase?

    /// 120 subscribers over four zones and both languages: every 10th paused, a few at 19:30
    /// only, user 7 and a few others subscribed only to `quiet` (no news).
    static let subscribers: [Subscriber] = (1...120).map { i in
        let id = Int64(i)
        let zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC+03:00"]
        let topics = i == 7 ? ["quiet"] : Array(["ai", "python", "space", "rust", "quiet"].shuffledDeterministically(i).prefix(1 + i % 3))
        return Subscriber(id: id, chatID: 1000 + id, language: i % 2 == 0 ? .en : .ru, timeZone: zones[i % 4],
                          status: i % 10 == 0 ? .paused : .active, slots: [Slot(i % 11 == 0 ? "19:30" : "08:00")!],
                          topics: topics.compactMap(Topic.init))
    }

    static var due: [Subscriber] {
        subscribers.filter { $0.status == .active && $0.slots.contains(run.slot) }
    }

    /// Due users whose only topic is `quiet` (user 7, and those the shuffle left with just it).
    static var dueWithoutNews: Int {
        due.filter { $0.topics.allSatisfy { $0.name == "quiet" } }.count
    }

    static func make(_ backend: Backend, file: URL? = nil) async throws -> SlotRunWorld {
        let source = GeneratedNewsSource(silent: ["quiet"], now: Date())
        switch backend {
        case .memory:
            let world = SlotRunWorld(store: MemorySubscriberStore(), queue: MemoryJobQueue(), cache: MemoryNewsCache(),
                                     source: source, database: nil)
            try await world.store.upsert(subscribers)
            return world
        case .sqlite:
            guard let path = file else { throw NewsbotError(.invalidInput, "a SQLite world needs its database file") }
            let embedded = try await SQLiteEmbedded.open(url: "sqlite:\(path.path)")
            let world = SlotRunWorld(store: embedded.subscribers, queue: embedded.jobs, cache: embedded.newsCache,
                                     source: source, database: embedded.database)
            if try await world.store.subscriberCount() == 0 { try await world.store.upsert(subscribers) }
            return world
        }
    }

    /// The same durable store (and cache) with another queue: a memory queue dies with its process.
    func withQueue(_ queue: any JobQueue) -> SlotRunWorld {
        SlotRunWorld(store: store, queue: queue, cache: cache, source: source, database: database)
    }

    var environment: PipelineEnvironment {
        let fetcher = NewsFetcher(sources: ["gnews": source], cache: cache, logger: Self.quiet)
        return PipelineEnvironment(store: store, queue: queue, fetcher: fetcher, pipelines: [Self.pipeline], logger: Self.quiet)
    }

    func workers(telegram: RecordingTelegram, renderChunk: Int = 25) throws -> PipelineWorkers {
        let delivery = DeliveryWorker(configuration: .init(policy: Self.pipeline.delivery, receiveWait: .milliseconds(20),
                                                           shutdownGracePeriod: .seconds(1)),
                                      queue: queue, store: store, limiter: MemoryRateLimiter(), telegram: telegram,
                                      logger: Self.quiet)
        return try PipelineWorkers(configuration: .init(concurrency: 2, receiveWait: .milliseconds(20),
                                                        coordinator: .init(renderChunkSize: renderChunk)),
                                   environment: environment, delivery: delivery)
    }

    func coordinator(renderChunk: Int = 25) -> SlotRunCoordinator {
        SlotRunCoordinator(configuration: .init(renderChunkSize: renderChunk, pageSize: 40), store: store, queue: queue,
                           logger: Self.quiet)
    }
}

extension Array {
    /// A fixed permutation per seed, so test data differs between users but never between runs.
    func shuffledDeterministically(_ seed: Int) -> [Element] {
        var generator = SplitMix(seed: UInt64(seed))
        return shuffled(using: &generator)
    }
}

/// SplitMix64: a tiny seeded generator for test data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
