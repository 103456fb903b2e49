import Core
import Foundation
import Logging
import Stages

/// Steps 3–5 for a chunk of a run's users: their topics' ranked news (through the fetcher's
/// shared cache), what they already received, one digest each, stored (existing messages win),
/// then one delivery job per message and each user's outcome.
///
/// Everything is batched per chunk — one query loads the users, one their history, one stores
/// the messages, one push enqueues them, one write records outcomes — so 100,000 users cost a few
/// hundred store round trips, not hundreds of thousands. Order makes a crash harmless: messages
/// are stored before they are enqueued, and outcomes written last, so a user whose chunk was cut
/// off is still pending and is rendered again on resume, getting back the stored messages.
struct RenderStage: Sendable {
    let environment: PipelineEnvironment
    let memo = PreparedTopicMemo()
    /// (topic, language) pairs fetched at once per chunk.
    var fetchConcurrency = 8

    /// Renders the users of `userIDs` still pending in `run`.
    func render(run: SlotRunKey, userIDs: [Int64]) async throws {
        let pipeline = try environment.pipeline(run.pipeline)
        let pending = try await stillPending(run, Set(userIDs))
        guard !pending.isEmpty else { return }
        let due = try await loadDue(slot: run.slot, ids: pending)
        var outcomes = try await absentees(Set(pending).subtracting(due.lazy.map(\.id)))
        outcomes.merge(try await renderAndFanOut(due, run: run, pipeline: pipeline)) { $1 }
        try await environment.store.setRunUserOutcomes(run, outcomes)
    }

    /// `/digest`: one user's digest now, keyed by their current local minute and date under the
    /// `ondemand` pipeline name (so `pipeline status` tells these runs from scheduled ones).
    /// Asking twice within a minute sends it once. With nothing new, a short reply says so.
    func onDemand(userID: Int64) async throws {
        guard let user = try await environment.store.subscriber(id: userID), user.status == .active else {
            environment.logger.notice("pipeline: on-demand digest for an unknown or inactive user, dropped",
                                      metadata: ["newsbot.user_id": "\(userID)"])
            return
        }
        let pipeline = try environment.pipeline(environment.onDemandPipeline)
        let now = environment.clock.now()
        let zone = user.resolvedTimeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let time = calendar.dateComponents([.hour, .minute], from: now)
        let run = SlotRunKey(pipeline: "ondemand", slot: Slot(hour: time.hour ?? 0, minute: time.minute ?? 0)!,
                             date: LocalDate(now, in: zone))
        _ = try await environment.store.createRun(run, at: now)
        let added = try await environment.store.addRunUsers(run, userIDs: [userID])
        if added == 0, try await environment.store.pendingRunUsers(run, afterID: userID - 1, limit: 1) != [userID] {
            // Asked again within the minute, and that request was already answered.
            return
        }
        let outcomes = try await renderAndFanOut([user], run: run, pipeline: pipeline)
        if outcomes[userID] == .skipped(reason: "no_news") {
            // A reply, not a digest: interactive priority, not in the ledger, no history.
            let reply = DeliveryJob(kind: .reply, key: DeliveryKey(userID: userID, slot: run.slot, date: run.date, part: 1),
                                    run: nil, chatID: user.chatID, text: OnDemandReply.nothingNew(user.language))
            try await environment.queue.push(FanOut.encode(reply), to: .deliver)
        }
        try await environment.store.setRunUserOutcomes(run, outcomes)
    }

    // MARK: steps

    /// The chunk's users still pending (a retried or resumed chunk skips those already done).
    private func stillPending(_ run: SlotRunKey, _ ids: Set<Int64>) async throws -> [Int64] {
        guard let first = ids.min(), let last = ids.max() else { return [] }
        var result: [Int64] = []
        var after = first - 1
        while true {
            let page = try await environment.store.pendingRunUsers(run, afterID: after, limit: max(ids.count, 100))
            result += page.lazy.filter { ids.contains($0) }
            guard let end = page.last, end < last, page.count == max(ids.count, 100) else { break }
            after = end
        }
        return result
    }

    /// The users among `ids` (sorted) who are still active and hold `slot`, read as ranges of the
    /// slot's due list: one query for a chunk of consecutive due users.
    private func loadDue(slot: Slot, ids: [Int64]) async throws -> [Subscriber] {
        guard let first = ids.first, let last = ids.last else { return [] }
        let wanted = Set(ids)
        let limit = max(ids.count, 100)
        var result: [Subscriber] = []
        var after = first - 1
        while true {
            let page = try await environment.store.dueSubscribers(slot: slot, timeZones: nil, afterID: after, limit: limit)
            result += page.lazy.filter { wanted.contains($0.id) }
            guard let end = page.last?.id, end < last, page.count == limit else { break }
            after = end
        }
        return result
    }

    /// Why users of the chunk are no longer due: paused or blocked since the trigger, or their
    /// slot removed. Rare, so looked up one by one.
    private func absentees(_ ids: Set<Int64>) async throws -> [Int64: RunUserOutcome] {
        var outcomes: [Int64: RunUserOutcome] = [:]
        for id in ids {
            let status = try await environment.store.subscriber(id: id)?.status
            outcomes[id] = .skipped(reason: status.map { $0 == .active ? "not_due" : $0.rawValue } ?? "unknown_user")
        }
        return outcomes
    }

    /// Renders, stores and enqueues the digests of `users`; returns each user's outcome.
    private func renderAndFanOut(_ users: [Subscriber], run: SlotRunKey, pipeline: PipelineDefinition) async throws
        -> [Int64: RunUserOutcome] {
        guard !users.isEmpty else { return [:] }
        let news = try await preparedNews(for: users, pipeline: pipeline)
        let now = environment.clock.now()
        let history: [Int64: Set<String>] = pipeline.render.historyDays > 0
            ? try await environment.store.deliveredURLs(userIDs: users.map(\.id),
                                                        since: now.addingTimeInterval(-Double(pipeline.render.historyDays) * 86400))
            : [:]
        let renderer = DigestRenderer(policy: pipeline.render)
        var messages: [DigestMessage] = []
        for user in users {
            messages += renderer.render(for: user, news: news, alreadyReceived: history[user.id] ?? [], run: run)
        }
        // Existing messages win: after a crash, what was stored before is what goes out.
        let stored = messages.isEmpty ? [] : try await environment.store.saveDigestMessages(messages)
        let payloads = try FanOut.payloads(for: stored)
        if !payloads.isEmpty { try await environment.queue.push(payloads, to: .deliver) }
        var parts: [Int64: Int] = [:]
        for message in stored { parts[message.key.userID, default: 0] += 1 }
        var outcomes: [Int64: RunUserOutcome] = [:]
        for user in users {
            outcomes[user.id] = parts[user.id].map { .rendered(parts: $0) } ?? .skipped(reason: "no_news")
        }
        return outcomes
    }

    /// Every (topic, language) the users need, prepared for rendering.
    private func preparedNews(for users: [Subscriber], pipeline: PipelineDefinition) async throws -> RenderedNews {
        var pairs = Set<TopicLanguage>()
        for user in users { pairs.formUnion(TopicLanguage.pairs(of: user)) }
        let now = environment.clock.now()
        var news = RenderedNews()
        var missing: [(TopicLanguage, NewsCacheKey)] = []
        for pair in pairs.sorted() {
            let key = NewsCacheKey(pipeline: pipeline.name, language: pair.language, topic: pair.topic, now: now,
                                   ttl: pipeline.cache.ttl)
            if let topic = memo.topic(for: key) { news.insert(topic) } else { missing.append((pair, key)) }
        }
        let fetcher = environment.fetcher
        let renderer = DigestRenderer(policy: pipeline.render)
        try await withThrowingTaskGroup(of: (NewsCacheKey, TopicNews).self) { group in
            var next = missing.makeIterator()
            func start() {
                guard let (pair, key) = next.next() else { return }
                group.addTask { (key, try await fetcher.news(for: pair.topic, language: pair.language, pipeline: pipeline)) }
            }
            for _ in 0..<fetchConcurrency { start() }
            while let (key, topicNews) = try await group.next() {
                let prepared = renderer.prepare(topicNews)
                news.insert(prepared)
                if !(topicNews.items.isEmpty && !topicNews.failures.isEmpty) { memo.store(prepared, for: key) }
                start()
            }
        }
        return news
    }
}
