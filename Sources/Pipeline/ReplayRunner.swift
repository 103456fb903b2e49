import Core
import Delivery
import Foundation
import Logging
import Stages

/// `newsbot pipeline replay BATCH_DIR [--out DIR] [--check]`: runs a fixture batch through the
/// real stages — trigger, fetch (single-flight cache), rank, render, fan-out, delivery — on
/// memory adapters, with the clock fixed at the batch's `now`, `FixtureNewsSource`s reading
/// `news/`, and an in-process capture instead of Telegram.
///
/// Stages run one after another, one job at a time, so the output (and every count in the
/// summary) is the same bytes on every run. A user's local date is `now` in their time zone, so
/// a batch may make several runs (one per local date); they are triggered in date order.
public struct ReplayRunner: Sendable {
    let loader: PipelineLoader
    let logger: Logger

    public init(loader: PipelineLoader = PipelineLoader(), logger: Logger = Logger(label: "newsbot.replay")) {
        self.loader = loader
        self.logger = logger
    }

    /// Replays the batch in `directory`.
    public func run(batch directory: URL) async throws -> ReplayResult {
        try await run(try ReplayBatch.load(directory, loader: loader))
    }

    /// Replays `batch`; with `outputDirectory` writes the files there; with `check` compares
    /// them with the batch's `expected/` and returns the differences (empty: identical).
    public func run(batch directory: URL, outputDirectory: URL?, check: Bool) async throws
        -> (result: ReplayResult, differences: [ReplayDifference]) {
        let result = try await run(batch: directory)
        if let outputDirectory { try result.output.write(to: outputDirectory) }
        guard check else { return (result, []) }
        let expected = directory.appendingPathComponent("expected")
        guard FileManager.default.fileExists(atPath: expected.path) else {
            throw NewsbotError(.notFound, "\(expected.path): no golden output to check against")
        }
        return (result, result.output.differences(from: expected))
    }

    public func run(_ batch: ReplayBatch) async throws -> ReplayResult {
        let clock = ManualClock(now: batch.now)
        let store = MemorySubscriberStore()
        try await store.upsert(batch.users)
        let queue = MemoryJobQueue(clock: clock)
        let fetcher = NewsFetcher(sources: FixtureNewsSource.registry(for: batch.pipeline, batchDirectory: batch.directory, clock: clock),
                                  cache: MemoryNewsCache(clock: clock), clock: clock,
                                  configuration: .init(owner: "replay"), logger: logger)
        let environment = PipelineEnvironment(store: store, queue: queue, fetcher: fetcher, pipelines: [batch.pipeline],
                                              clock: clock, logger: logger)
        // No rate limits: the capture never answers 429, and a fixed clock could not wait anyway.
        var policy = batch.pipeline.delivery
        (policy.globalRate, policy.perChatRate, policy.perGroupPerMinute) = (0, 0, 0)
        let telegram = CapturingTelegram(clock: clock)
        let delivery = DeliveryWorker(configuration: .init(policy: policy, receiveWait: .milliseconds(1),
                                                           conditionInterval: .milliseconds(1)),
                                      queue: queue, store: store, limiter: MemoryRateLimiter(clock: clock),
                                      telegram: telegram, clock: clock, logger: logger, random: { 0.5 })
        let workers = try PipelineWorkers(environment: environment, delivery: delivery)

        let due = batch.dueUsers
        var zonesByDate: [LocalDate: Set<String>] = [:]
        for user in due { zonesByDate[LocalDate(batch.now, in: user.resolvedTimeZone), default: []].insert(user.timeZone ?? "UTC") }
        let coordinator = environment.coordinator()
        for (date, zones) in zonesByDate.sorted(by: { $0.key < $1.key }) {
            try await coordinator.trigger(SlotRunKey(pipeline: batch.pipeline.name, slot: batch.slot, date: date), timeZones: zones)
        }
        for stage in PipelineStage.allCases { try await workers.processAvailable(stage) }

        // Skip reasons are recorded per run (the render stage's `no_news`, …); the page names a
        // user's reason when the batch has only one, which a replay of active users always has.
        var skipped: [String: Int] = [:]
        for (date, _) in zonesByDate {
            let run = SlotRunKey(pipeline: batch.pipeline.name, slot: batch.slot, date: date)
            for (reason, count) in try await store.run(run)?.counts.usersSkipped ?? [:] { skipped[reason, default: 0] += count }
        }
        let label = skipped.count == 1 ? skipped.keys.first! : "skipped"
        var chats: [ReplayPage.Chat] = []
        var messages: [DigestMessage] = []
        for user in due {
            let date = LocalDate(batch.now, in: user.resolvedTimeZone)
            let userMessages = try await storedMessages(store, user: user.id, slot: batch.slot, date: date)
            messages += userMessages
            chats.append(ReplayPage.Chat(user: user, date: date, messages: userMessages, skipped: userMessages.isEmpty ? label : nil))
        }
        let undelivered = messages.filter { $0.deliveredAt == nil }
        guard undelivered.isEmpty, telegram.messages.count == messages.count else {
            throw NewsbotError(.internal, "replay: \(undelivered.count) of \(messages.count) messages not delivered, "
                               + "\(telegram.messages.count) sent")
        }

        var pairs = Set<TopicLanguage>()
        for user in due { pairs.formUnion(TopicLanguage.pairs(of: user)) }
        let statistics = fetcher.statistics
        let summary = ReplaySummary(now: batch.now, slot: batch.slot.description, pipeline: batch.pipeline.name,
                                    usersDue: due.count, digests: Set(messages.map(\.key.userID)).count,
                                    messages: messages.count, distinctTopics: Set(pairs.map(\.topic)).count,
                                    distinctTopicLanguages: pairs.count, sourceCalls: statistics.sourceCalls,
                                    cacheHits: statistics.cacheHits, sourceFailures: statistics.sourceFailures,
                                    skippedUsers: skipped)
        let output = ReplayOutput(digestsJSONL: Data(Self.digestsJSONL(messages).utf8), summaryJSON: Data(summary.json.utf8),
                                  indexHTML: Data(ReplayPage.render(summary: summary, chats: chats).utf8))
        return ReplayResult(batch: batch, summary: summary, messages: messages, output: output)
    }

    /// One line per message, keys in the contract's order.
    static func digestsJSONL(_ messages: [DigestMessage]) -> String {
        messages.map { message in
            JSONText.object([
                ("user_id", String(message.key.userID)),
                ("chat_id", String(message.chatID)),
                ("slot", JSONText.string(message.key.slot.description)),
                ("part", String(message.key.part)),
                ("parts", String(message.parts)),
                ("text", JSONText.string(message.text)),
                ("urls", JSONText.array(message.urls)),
            ]) + "\n"
        }.joined()
    }

    private func storedMessages(_ store: any SubscriberStore, user: Int64, slot: Slot, date: LocalDate) async throws -> [DigestMessage] {
        guard let first = try await store.digestMessage(DeliveryKey(userID: user, slot: slot, date: date, part: 1)) else { return [] }
        var messages = [first]
        for part in stride(from: 2, through: first.parts, by: 1) {
            if let message = try await store.digestMessage(DeliveryKey(userID: user, slot: slot, date: date, part: part)) {
                messages.append(message)
            }
        }
        return messages
    }
}
