import Core
import Logging
import ServiceLifecycle
import Telegram

/// `newsbot bot --polling`: a `Service` that reads updates with `getUpdates` and applies them.
///
/// Offsets: a batch is applied (different chats in parallel, each chat's updates in order), then
/// the offset after the last update applied without a gap is stored and sent with the next call,
/// which confirms the batch to Telegram. A crash before that re-reads the batch after restart;
/// the router recognises what was already applied. An update that fails (storage down) stops the
/// offset before it, and the poller backs off and reads it again.
///
/// Errors: 409 (another poller or a webhook) and 401 end the service with a clear `ChatError`;
/// anything else backs off exponentially and retries. On graceful shutdown the pending long poll
/// is cancelled, but a batch being applied is finished first.
public struct LongPoller: Service {
    public let configuration: Configuration
    private let router: UpdateRouter
    private let telegram: any TelegramAPI
    private let offsets: PollOffsetStore
    private let logger: Logger

    public init(configuration: Configuration = Configuration(), router: UpdateRouter, telegram: any TelegramAPI,
                states: any ConversationStateStore, logger: Logger = Logger(label: "newsbot.chat.poller")) {
        self.configuration = configuration
        self.router = router
        self.telegram = telegram
        self.offsets = PollOffsetStore(states: states, ttl: configuration.offsetTTL)
        self.logger = logger
    }

    public func run() async throws {
        var offset = try await offsets.load()
        var failures = 0
        logger.info("chat: long polling started", metadata: ["telegram.offset": "\(offset.map(String.init) ?? "none")"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let request = GetUpdatesRequest(offset: offset, limit: configuration.limit, timeout: configuration.timeout,
                                            allowedUpdates: configuration.allowedUpdates)
            let batch: [Update]
            do {
                let telegram = self.telegram
                batch = try await cancelWhenGracefulShutdown { try await telegram.getUpdates(request) }
            } catch is CancellationError {
                break
            } catch TelegramError.conflict {
                logger.error("chat: \(ChatError.pollingConflict)")
                throw ChatError.pollingConflict
            } catch TelegramError.unauthorized {
                throw ChatError.unauthorized
            } catch {
                failures += 1
                logger.warning("chat: getUpdates failed, backing off", metadata: ["error": "\(error)", "attempt": "\(failures)"])
                try? await backOff(failures, retryAfter: (error as? TelegramError)?.retryAfter)
                continue
            }
            guard !batch.isEmpty else {
                failures = 0
                continue
            }
            // Not cancelled by shutdown: finish what was taken.
            let through = await Task { await apply(batch) }.value
            if let through, through + 1 > (offset ?? Int64.min) {
                offset = through + 1
                do {
                    try await offsets.save(through + 1)
                } catch {
                    logger.warning("chat: could not store the polling offset", metadata: ["error": "\(error)"])
                }
            }
            if through != batch.map(\.updateID).max() {
                failures += 1
                try? await backOff(failures, retryAfter: nil)
            } else {
                failures = 0
            }
        }
        logger.info("chat: long polling stopped")
    }

    /// Applies a batch; returns the highest update id up to which every update was handled
    /// (nil when the first one failed).
    func apply(_ batch: [Update]) async -> Int64? {
        var byChat: [Int64: [Update]] = [:]
        var order: [Int64] = []
        for update in batch.sorted(by: { $0.updateID < $1.updateID }) {
            // Updates without a chat are all ignored by the router; any key keeps them apart.
            let key = update.chatID ?? Int64.min + 1
            if byChat[key] == nil { order.append(key) }
            byChat[key, default: []].append(update)
        }
        let failed = await withTaskGroup(of: Int64?.self) { group -> [Int64] in
            var failed: [Int64] = []
            var running = 0
            for key in order {
                if running >= configuration.concurrency, let result = await group.next() {
                    running -= 1
                    if let result { failed.append(result) }
                }
                let updates = byChat[key]!
                group.addTask { await applyInOrder(updates) }
                running += 1
            }
            for await result in group { if let result { failed.append(result) } }
            return failed
        }
        let ids = batch.map(\.updateID).sorted()
        guard let firstFailure = failed.min() else { return ids.last }
        return ids.last(where: { $0 < firstFailure })
    }

    /// One chat's updates in order; stops at the first failure and returns its id.
    private func applyInOrder(_ updates: [Update]) async -> Int64? {
        for update in updates {
            do {
                _ = try await router.handle(update)
            } catch {
                logger.warning("chat: update not applied, will read it again",
                               metadata: ["telegram.update_id": "\(update.updateID)", "error": "\(error)"])
                return update.updateID
            }
        }
        return nil
    }

    private func backOff(_ failures: Int, retryAfter: Duration?) async throws {
        let ceiling = min(configuration.baseBackoff.timeInterval * Double(1 << min(failures - 1, 16)),
                          configuration.maxBackoff.timeInterval)
        let wait = retryAfter ?? .seconds(Double.random(in: ceiling / 2...max(ceiling, 0.001)))
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
    }
}
