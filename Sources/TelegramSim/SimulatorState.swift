import Foundation
import Telegram

/// All mutable state of the simulator, changed only under its lock. Every method is
/// synchronous and does no I/O, so a request holds the lock for microseconds.
struct SimulatorState: Sendable {
    var limits: SimulatorRateLimits
    let recordMessages: Bool
    let strictCallbackQueries: Bool

    var globalSecond = SlidingWindow(span: .seconds(1))
    var chats: [Int64: ChatRecord] = [:]
    var faults: [Int64: FaultEntry] = [:]
    var globalFault: FaultEntry?
    var stats = SimulatorStats()
    var sequence = 0

    var pending: [QueuedUpdate] = []
    var nextUpdateID: Int64 = 1
    var allowedUpdates: [String]?
    var webhook: WebhookSettings?
    var webhookGeneration = 0
    var webhookLastError: (date: Int64, message: String)?
    var poller: PollWaiter?
    var pendingCallbackQueries: Set<String> = []
    var callbackAnswers: [SimulatedCallbackAnswer] = []

    init(limits: SimulatorRateLimits, recordMessages: Bool, strictCallbackQueries: Bool) {
        self.limits = limits
        self.recordMessages = recordMessages
        self.strictCallbackQueries = strictCallbackQueries
    }

    /// Update kinds Telegram leaves out unless asked for explicitly.
    static let optInUpdateKinds: Set<String> = ["chat_member", "message_reaction", "message_reaction_count"]

    // MARK: faults

    /// The fault to answer for `chatID` now, counting it down. `.slow` faults are only
    /// reported (and counted) when `includeSlow` is set, so a delayed request is not
    /// delayed twice.
    mutating func takeFault(chatID: Int64, includeSlow: Bool) -> SimulatedFault? {
        let useChat = faults[chatID] != nil
        guard var entry = useChat ? faults[chatID] : globalFault else { return nil }
        if case .slow = entry.fault, !includeSlow { return nil }
        if let remaining = entry.remaining {
            entry.remaining = remaining - 1
        }
        let exhausted = entry.remaining.map { $0 <= 0 } ?? false
        if useChat {
            faults[chatID] = exhausted ? nil : entry
        } else {
            globalFault = exhausted ? nil : entry
        }
        if entry.fault.failure != nil { stats.faultsAnswered += 1 }
        return entry.fault
    }

    mutating func setFault(_ fault: SimulatedFault?, chatID: Int64?, times: Int?) {
        let entry = fault.map { FaultEntry(fault: $0, remaining: times) }
        if let chatID {
            faults[chatID] = entry
        } else {
            globalFault = entry
        }
    }

    // MARK: messages

    /// Applies the flood limits to one message for `chatID` and, when it passes,
    /// records it. Returns the new message's id and sequence number.
    mutating func admitMessage(
        _ request: SendMessageRequest, now: Int64, date: Date
    ) -> Result<(messageID: Int64, sequence: Int), SimulatorFailure> {
        let chatID = request.chatID
        let isGroup = chatID < 0
        globalSecond.evict(now: now)
        if limits.globalPerSecond > 0 && globalSecond.count >= limits.globalPerSecond {
            return .failure(rejectForFlood(chatID: chatID, wait: globalSecond.timeUntilSlotFrees(now: now)))
        }
        var wait: Int64?
        let limits = self.limits
        withChat(chatID) { chat in
            chat.secondWindow.evict(now: now)
            if limits.perChatPerSecond > 0 {
                if limits.perChatBurst > 1 {
                    let burstWait = chat.burst.wait(now: now, ratePerSecond: Double(limits.perChatPerSecond),
                                                    capacity: Double(limits.perChatBurst))
                    if burstWait > 0 {
                        wait = burstWait
                        return
                    }
                } else if chat.secondWindow.count >= limits.perChatPerSecond {
                    wait = chat.secondWindow.timeUntilSlotFrees(now: now)
                    return
                }
            }
            if isGroup {
                chat.minuteWindow.evict(now: now)
                if limits.perGroupPerMinute > 0 && chat.minuteWindow.count >= limits.perGroupPerMinute {
                    wait = chat.minuteWindow.timeUntilSlotFrees(now: now)
                }
            }
        }
        if let wait {
            return .failure(rejectForFlood(chatID: chatID, wait: wait))
        }

        globalSecond.append(now)
        sequence += 1
        stats.accepted += 1
        stats.maxGlobalPerSecond = max(stats.maxGlobalPerSecond, globalSecond.count)
        let sequence = self.sequence
        let record = recordMessages
        var messageID: Int64 = 0
        var chatSecond = 0
        var groupMinute = 0
        withChat(chatID) { chat in
            chat.secondWindow.append(now)
            if limits.perChatPerSecond > 0 && limits.perChatBurst > 1 {
                chat.burst.take(now: now, ratePerSecond: Double(limits.perChatPerSecond), capacity: Double(limits.perChatBurst))
            }
            chat.lastMessageID += 1
            messageID = chat.lastMessageID
            chat.stats.accepted += 1
            chat.stats.maxPerSecond = max(chat.stats.maxPerSecond, chat.secondWindow.count)
            chatSecond = chat.stats.maxPerSecond
            if isGroup {
                chat.minuteWindow.append(now)
                chat.stats.maxPerMinute = max(chat.stats.maxPerMinute, chat.minuteWindow.count)
                groupMinute = chat.stats.maxPerMinute
            }
            if record {
                chat.messages.append(SimulatedMessage(
                    sequence: sequence, chatID: chatID, messageID: messageID, text: request.text,
                    parseMode: request.parseMode, replyMarkup: request.replyMarkup,
                    linkPreviewsDisabled: request.linkPreviewsDisabled, sentAt: date))
            }
        }
        stats.maxChatPerSecond = max(stats.maxChatPerSecond, chatSecond)
        stats.maxGroupPerMinute = max(stats.maxGroupPerMinute, groupMinute)
        return .success((messageID, sequence))
    }

    private mutating func rejectForFlood(chatID: Int64, wait nanoseconds: Int64) -> SimulatorFailure {
        stats.tooManyRequests += 1
        withChat(chatID) { $0.stats.tooManyRequests += 1 }
        // Telegram answers whole seconds, at least 1.
        let seconds = max(1, Int((nanoseconds + 999_999_999) / 1_000_000_000))
        return .tooManyRequests(retryAfter: seconds)
    }

    /// Runs `body` on the chat's record in place (creating it), without copying it out.
    private mutating func withChat(_ chatID: Int64, _ body: (inout ChatRecord) -> Void) {
        body(&chats[chatID, default: ChatRecord(chatID: chatID)])
    }

    /// Applies an edit to a recorded message; returns the original send date when known.
    mutating func editMessage(_ request: EditMessageTextRequest, date: Date) -> Result<Date?, SimulatorFailure> {
        guard let chat = chats[request.chatID], request.messageID >= 1, request.messageID <= chat.lastMessageID else {
            return .failure(.badRequest("message to edit not found"))
        }
        var result: Result<Date?, SimulatorFailure> = .success(nil)
        if recordMessages {
            withChat(request.chatID) { chat in
                let index = Int(request.messageID - 1)
                guard index < chat.messages.count else { return }
                let old = chat.messages[index]
                if old.text == request.text && old.replyMarkup == request.replyMarkup && old.parseMode == request.parseMode {
                    result = .failure(.badRequest(
                        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"))
                    return
                }
                chat.messages[index].text = request.text
                chat.messages[index].parseMode = request.parseMode
                chat.messages[index].replyMarkup = request.replyMarkup
                chat.messages[index].editedAt = date
                result = .success(old.sentAt)
            }
        }
        if case .success = result { stats.edited += 1 }
        return result
    }

    func messages(chatID: Int64?) -> [SimulatedMessage] {
        if let chatID { return chats[chatID]?.messages ?? [] }
        return chats.values.flatMap(\.messages).sorted { $0.sequence < $1.sequence }
    }

    func snapshot(includeChats: Bool) -> SimulatorStats {
        var result = stats
        result.callbackQueriesPending = pendingCallbackQueries.count
        if includeChats {
            result.chats = chats.values.map(\.stats).filter { $0.accepted > 0 || $0.tooManyRequests > 0 }
                .sorted { $0.chatID < $1.chatID }
        }
        return result
    }

    // MARK: updates

    /// Queues an update; returns its id, and whether it was kept (an update of a kind
    /// outside `allowed_updates` is dropped, as Telegram never creates it).
    mutating func enqueue(kind: String, json: (Int64) throws -> String, explicitID: Int64?, callbackQueryID: String?)
        rethrows -> (id: Int64, kept: Bool)
    {
        let id = explicitID ?? nextUpdateID
        nextUpdateID = max(nextUpdateID, id + 1)
        stats.updatesInjected += 1
        let allowed = allowedUpdates ?? []
        let kept = allowed.isEmpty ? !Self.optInUpdateKinds.contains(kind) : allowed.contains(kind)
        guard kept else { return (id, false) }
        pending.append(QueuedUpdate(id: id, kind: kind, json: try json(id)))
        if let callbackQueryID { pendingCallbackQueries.insert(callbackQueryID) }
        return (id, true)
    }

    /// getUpdates' offset: a positive offset confirms (forgets) every earlier update; a
    /// negative one keeps only that many updates from the end of the queue.
    mutating func confirm(offset: Int64?) {
        guard let offset, offset != 0 else { return }
        if offset > 0 {
            let confirmed = pending.prefix { $0.id < offset }.count
            if confirmed > 0 {
                pending.removeFirst(confirmed)
                stats.updatesDelivered += confirmed
            }
        } else {
            let keep = Int(min(-offset, Int64(pending.count)))
            pending.removeFirst(pending.count - keep)
        }
    }

    func batch(limit: Int?) -> [QueuedUpdate] {
        let limit = min(max(limit ?? 100, 1), 100)
        return Array(pending.prefix(limit))
    }

    /// Wakes the waiting long poll, if any.
    mutating func wakePoller(_ wake: PollWake, onlyID: UInt64? = nil) {
        guard let waiter = poller, onlyID == nil || waiter.id == onlyID else { return }
        poller = nil
        if wake == .conflict { stats.conflicts += 1 }
        waiter.continuation.resume(returning: wake)
    }

    // MARK: webhook

    /// The next update to push and where, when a webhook is set.
    func nextWebhookDelivery() -> (update: QueuedUpdate, webhook: WebhookSettings)? {
        guard let webhook, let first = pending.first else { return nil }
        return (first, webhook)
    }

    mutating func webhookDelivered(updateID: Int64, generation: Int) {
        guard webhook?.generation == generation, pending.first?.id == updateID else { return }
        pending.removeFirst()
        stats.updatesDelivered += 1
    }

    mutating func webhookFailed(message: String, date: Int64) {
        stats.webhookFailures += 1
        webhookLastError = (date, message)
    }

    func webhookInfo() -> WebhookInfo {
        WebhookInfo(
            url: webhook?.url ?? "", pendingUpdateCount: pending.count, lastErrorDate: webhookLastError?.date,
            lastErrorMessage: webhookLastError?.message, maxConnections: webhook?.maxConnections,
            allowedUpdates: allowedUpdates)
    }

    // MARK: callback queries

    mutating func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) -> SimulatorFailure? {
        let known = pendingCallbackQueries.remove(request.callbackQueryID) != nil
        if strictCallbackQueries && !known {
            return .badRequest("query is too old and response timeout expired or query ID is invalid")
        }
        stats.callbackQueriesAnswered += 1
        callbackAnswers.append(SimulatedCallbackAnswer(
            callbackQueryID: request.callbackQueryID, text: request.text, showAlert: request.showAlert ?? false))
        return nil
    }

    // MARK: reset

    /// Forgets messages, statistics, faults, updates and the webhook; keeps the limits.
    mutating func reset() {
        wakePoller(.recheck)
        let generation = webhookGeneration
        self = SimulatorState(limits: limits, recordMessages: recordMessages, strictCallbackQueries: strictCallbackQueries)
        webhookGeneration = generation
    }
}
