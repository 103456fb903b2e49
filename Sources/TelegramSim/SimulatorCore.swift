import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization
import Telegram

/// The simulator's behaviour: Bot API methods and control operations over one
/// `Mutex`-protected `SimulatorState`. Validation and encoding run outside the lock;
/// the lock covers only counters, windows and records, so the send path stays cheap
/// under load. Shared by the HTTP responder and the Swift API.
final class SimulatorCore: Sendable {
    let configuration: TelegramSimulator.Configuration
    let logger: Logger
    let bot: User
    private let state: Mutex<SimulatorState>
    private let clockStart = ContinuousClock.now
    private let pollIDs = Atomic<UInt64>(0)
    private let webhookWake: AsyncStream<Void>
    private let webhookWakeContinuation: AsyncStream<Void>.Continuation

    init(configuration: TelegramSimulator.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.bot = User(
            id: configuration.token.botID ?? 1, isBot: true, firstName: configuration.botFirstName,
            username: configuration.botUsername)
        self.state = Mutex(SimulatorState(
            limits: configuration.rateLimits, recordMessages: configuration.recordMessages,
            strictCallbackQueries: configuration.strictCallbackQueries))
        (webhookWake, webhookWakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Nanoseconds since the simulator was created, on the monotonic clock.
    private func now() -> Int64 {
        SlidingWindow.nanoseconds(ContinuousClock.now - clockStart)
    }

    // MARK: sending

    func sendMessage(_ request: SendMessageRequest) async -> Result<Message, SimulatorFailure> {
        var includeSlow = true
        while true {
            switch attemptSendMessage(request, includeSlow: includeSlow) {
            case .accepted(let message): return .success(message)
            case .failure(let failure): return .failure(failure)
            case .delay(let delay):
                try? await Task.sleep(for: delay)
                includeSlow = false
            }
        }
    }

    /// One send without waiting: validation, the chat's fault (a `.slow` one only when
    /// `includeSlow`, answered as `.delay`), then the limits and the record.
    func attemptSendMessage(_ request: SendMessageRequest, includeSlow: Bool) -> AdmissionOutcome<Message> {
        let visibleText: String
        switch Self.validateText(request.text, parseMode: request.parseMode) {
        case .success(let text): visibleText = text
        case .failure(let failure): return .failure(rejected(failure))
        }
        if let failure = Self.validateKeyboard(request.replyMarkup) {
            return .failure(rejected(failure))
        }
        let date = Date()
        let outcome: AdmissionOutcome<Int64> = state.withLock { state in
            if let fault = state.takeFault(chatID: request.chatID, includeSlow: includeSlow) {
                if case .slow(let delay) = fault { return .delay(delay) }
                return .failure(fault.failure!)
            }
            switch state.admitMessage(request, now: now(), date: date) {
            case .success(let admitted): return .accepted(admitted.messageID)
            case .failure(let failure): return .failure(failure)
            }
        }
        switch outcome {
        case .accepted(let messageID):
            return .accepted(Message(
                messageID: messageID, from: bot, chat: Self.chat(request.chatID),
                date: Int64(date.timeIntervalSince1970), text: visibleText, replyMarkup: request.replyMarkup))
        case .failure(let failure):
            return .failure(failure)
        case .delay(let delay):
            return .delay(delay)
        }
    }

    func editMessageText(_ request: EditMessageTextRequest) async -> Result<Message, SimulatorFailure> {
        let visibleText: String
        switch Self.validateText(request.text, parseMode: request.parseMode) {
        case .success(let text): visibleText = text
        case .failure(let failure): return .failure(rejected(failure))
        }
        if let failure = Self.validateKeyboard(request.replyMarkup) {
            return .failure(rejected(failure))
        }
        var includeSlow = true
        while true {
            let date = Date()
            let outcome: AdmissionOutcome<Date?> = state.withLock { state in
                if let fault = state.takeFault(chatID: request.chatID, includeSlow: includeSlow) {
                    if case .slow(let delay) = fault { return .delay(delay) }
                    return .failure(fault.failure!)
                }
                switch state.editMessage(request, date: date) {
                case .success(let sentAt): return .accepted(sentAt)
                case .failure(let failure):
                    state.stats.rejected += 1
                    return .failure(failure)
                }
            }
            switch outcome {
            case .accepted(let sentAt):
                return .success(Message(
                    messageID: request.messageID, from: bot, chat: Self.chat(request.chatID),
                    date: Int64((sentAt ?? date).timeIntervalSince1970), editDate: Int64(date.timeIntervalSince1970),
                    text: visibleText, replyMarkup: request.replyMarkup))
            case .failure(let failure):
                return .failure(failure)
            case .delay(let delay):
                try? await Task.sleep(for: delay)
                includeSlow = false
            }
        }
    }

    func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) -> SimulatorFailure? {
        if let text = request.text, text.utf16.count > TelegramLimits.maxCallbackAnswerLength {
            return rejected(.badRequest("MESSAGE_TOO_LONG"))
        }
        return state.withLock { state in
            let failure = state.answerCallbackQuery(request)
            if failure != nil { state.stats.rejected += 1 }
            return failure
        }
    }

    /// Counts a 4xx that the request itself caused.
    func rejected(_ failure: SimulatorFailure) -> SimulatorFailure {
        state.withLock { $0.stats.rejected += 1 }
        return failure
    }

    /// Private chats have positive ids; supergroup ids start at -100…, other negative
    /// ids are basic groups.
    static func chat(_ id: Int64) -> Chat {
        if id > 0 { return Chat(id: id, type: .private) }
        return Chat(id: id, type: id <= -1_000_000_000_000 ? .supergroup : .group)
    }

    /// Checks a message text like Telegram; returns the visible text.
    static func validateText(_ text: String, parseMode: ParseMode?) -> Result<String, SimulatorFailure> {
        var visible = text
        let metrics: TelegramTextMetrics
        if let parseMode, parseMode.isHTML {
            do {
                (visible, metrics) = try TelegramHTML.parse(text)
            } catch {
                return .failure(.badRequest("can't parse entities: \(error.message)"))
            }
        } else if let parseMode, !["markdownv2", "markdown"].contains(parseMode.rawValue.lowercased()) {
            return .failure(.badRequest("unsupported parse_mode"))
        } else {
            // Plain text, or Markdown (not parsed here: its markup counts, which is stricter).
            metrics = TelegramHTML.measurePlain(text)
        }
        if metrics.isBlank { return .failure(.badRequest("message text is empty")) }
        if metrics.length > TelegramLimits.maxMessageLength { return .failure(.badRequest("message is too long")) }
        return .success(visible)
    }

    /// Checks an inline keyboard like Telegram: each button needs exactly one action,
    /// callback data of 1–64 bytes, a URL Telegram can open.
    static func validateKeyboard(_ markup: InlineKeyboardMarkup?) -> SimulatorFailure? {
        guard let markup else { return nil }
        for row in markup.inlineKeyboard {
            for button in row {
                switch (button.callbackData, button.url) {
                case (nil, nil):
                    return .badRequest(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
                case (.some, .some):
                    return .badRequest("can't parse inline keyboard button: exactly one of url and callback_data is allowed")
                case (let data?, nil):
                    if !TelegramLimits.isValidCallbackData(data) { return .badRequest("BUTTON_DATA_INVALID") }
                case (nil, let url?):
                    let lower = url.lowercased()
                    if !(lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("tg://")) {
                        return .badRequest("BUTTON_URL_INVALID")
                    }
                }
                if button.text.isEmpty { return .badRequest("BUTTON_TEXT_INVALID") }
            }
        }
        return nil
    }

    // MARK: updates

    /// Long polling with Telegram's rules: 409 while a webhook is set; a newer call
    /// terminates a waiting one with 409; `offset` confirms earlier updates.
    func getUpdates(_ request: GetUpdatesRequest) async -> Result<[QueuedUpdate], SimulatorFailure> {
        let immediate: Result<[QueuedUpdate], SimulatorFailure>? = state.withLock { state in
            if state.webhook != nil {
                state.stats.conflicts += 1
                return .failure(.webhookActive)
            }
            state.wakePoller(.conflict)
            if let allowed = request.allowedUpdates { state.allowedUpdates = allowed }
            state.confirm(offset: request.offset)
            let batch = state.batch(limit: request.limit)
            if !batch.isEmpty || (request.timeout ?? 0) <= 0 { return .success(batch) }
            return nil
        }
        if let immediate { return immediate }

        let id = pollIDs.add(1, ordering: .relaxed).newValue
        let timer = Task { [weak self] in
            try await Task.sleep(for: .seconds(request.timeout ?? 0))
            self?.state.withLock { $0.wakePoller(.timeout, onlyID: id) }
        }
        defer { timer.cancel() }
        let wake = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PollWake, Never>) in
                state.withLock { state in
                    if Task.isCancelled {
                        continuation.resume(returning: .cancelled)
                    } else if state.webhook != nil || !state.batch(limit: 1).isEmpty {
                        continuation.resume(returning: .recheck)
                    } else {
                        state.wakePoller(.conflict)
                        state.poller = PollWaiter(id: id, continuation: continuation)
                    }
                }
            }
        } onCancel: {
            state.withLock { $0.wakePoller(.cancelled, onlyID: id) }
        }
        switch wake {
        case .conflict:
            return .failure(.otherPoller)
        case .cancelled:
            return .success([])
        case .recheck, .timeout:
            return state.withLock { state in
                if state.webhook != nil {
                    state.stats.conflicts += 1
                    return .failure(.webhookActive)
                }
                return .success(state.batch(limit: request.limit))
            }
        }
    }

    /// Queues an update given as a JSON object; assigns `update_id` when it has none.
    func injectUpdate(json data: Data) throws(SimulatorFailure) -> Int64 {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .badRequest("an update must be a JSON object")
        }
        let explicitID = (object["update_id"] as? NSNumber)?.int64Value
        let kind = object.keys.filter { $0 != "update_id" }.sorted().first ?? "unknown"
        let callbackQueryID = (object["callback_query"] as? [String: Any])?["id"] as? String
        let result: (id: Int64, kept: Bool)
        do {
            result = try state.withLock { state in
                let result = try state.enqueue(kind: kind, json: { id in
                    object["update_id"] = NSNumber(value: id)
                    let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    return String(decoding: bytes, as: UTF8.self)
                }, explicitID: explicitID, callbackQueryID: callbackQueryID)
                if result.kept { state.wakePoller(.recheck) }
                return result
            }
        } catch {
            throw .badRequest("an update must be valid JSON")
        }
        if result.kept { webhookWakeContinuation.yield() }
        return result.id
    }

    // MARK: webhook

    func setWebhook(_ request: SetWebhookRequest) -> Result<String, SimulatorFailure> {
        if request.url.isEmpty {
            return .success(deleteWebhook(dropPendingUpdates: request.dropPendingUpdates ?? false))
        }
        let secret = request.secretToken.flatMap { $0.isEmpty ? nil : $0 }
        if let secret, !TelegramLimits.isValidSecretToken(secret) {
            return .failure(rejected(.badRequest(
                secret.utf8.count > TelegramLimits.maxSecretTokenLength
                    ? "secret token is too long" : "secret token contains unallowed characters")))
        }
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), url.host != nil,
            scheme == "https" || scheme == "http"
        else {
            return .failure(rejected(.badRequest("bad webhook: An HTTPS URL must be provided for webhook")))
        }
        if scheme == "http" && !configuration.allowInsecureWebhooks {
            return .failure(rejected(.badRequest("bad webhook: An HTTPS URL must be provided for webhook")))
        }
        let maxConnections = request.maxConnections ?? 40
        guard (1...100).contains(maxConnections) else {
            return .failure(rejected(.badRequest("bad webhook: max_connections must be between 1 and 100")))
        }
        state.withLock { state in
            state.webhookGeneration += 1
            state.webhook = WebhookSettings(
                url: request.url, secretToken: secret, maxConnections: maxConnections,
                generation: state.webhookGeneration)
            if let allowed = request.allowedUpdates { state.allowedUpdates = allowed }
            if request.dropPendingUpdates == true { state.pending.removeAll() }
            state.webhookLastError = nil
            state.wakePoller(.recheck)
        }
        webhookWakeContinuation.yield()
        return .success("Webhook was set")
    }

    func deleteWebhook(dropPendingUpdates: Bool) -> String {
        state.withLock { state in
            let wasSet = state.webhook != nil
            state.webhook = nil
            if dropPendingUpdates { state.pending.removeAll() }
            return wasSet ? "Webhook was deleted" : "Webhook is already deleted"
        }
    }

    func webhookInfo() -> WebhookInfo {
        state.withLock { $0.webhookInfo() }
    }

    var isLongPollWaiting: Bool {
        state.withLock { $0.poller != nil }
    }

    /// Pushes queued updates to the webhook, oldest first, one at a time, retrying a
    /// failed one after `webhookRetryDelay` (Telegram also retries, with longer waits).
    /// Runs until cancelled.
    func runWebhookPusher(httpClient: HTTPClient) async {
        for await _ in webhookWake {
            while !Task.isCancelled, let (update, webhook) = state.withLock({ $0.nextWebhookDelivery() }) {
                if let failure = await push(update, to: webhook, httpClient: httpClient) {
                    let date = Int64(Date().timeIntervalSince1970)
                    state.withLock { $0.webhookFailed(message: failure, date: date) }
                    try? await Task.sleep(for: configuration.webhookRetryDelay)
                } else {
                    state.withLock { $0.webhookDelivered(updateID: update.id, generation: webhook.generation) }
                }
            }
        }
    }

    /// One webhook call; returns the error text for `getWebhookInfo`, or nil on a 2xx.
    private func push(_ update: QueuedUpdate, to webhook: WebhookSettings, httpClient: HTTPClient) async -> String? {
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let secret = webhook.secretToken {
            request.headers.add(name: SetWebhookRequest.secretTokenHeader, value: secret)
        }
        request.body = .bytes(ByteBuffer(string: update.json))
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.webhookTimeout))
            _ = try? await response.body.collect(upTo: 1 << 20)
            if (200..<300).contains(response.status.code) { return nil }
            return "Wrong response from the webhook: \(response.status.code) \(response.status.reasonPhrase)"
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return "Timeout"
        } catch {
            return "Connection failed"
        }
    }

    // MARK: control

    func setFault(_ fault: SimulatedFault?, chatID: Int64?, times: Int?) {
        state.withLock { $0.setFault(fault, chatID: chatID, times: times) }
    }

    func clearFaults() {
        state.withLock { state in
            state.faults.removeAll()
            state.globalFault = nil
        }
    }

    func setRateLimits(_ limits: SimulatorRateLimits) {
        state.withLock { $0.limits = limits }
    }

    func rateLimits() -> SimulatorRateLimits {
        state.withLock { $0.limits }
    }

    func messages(chatID: Int64?) -> [SimulatedMessage] {
        state.withLock { $0.messages(chatID: chatID) }
    }

    func stats(includeChats: Bool) -> SimulatorStats {
        state.withLock { $0.snapshot(includeChats: includeChats) }
    }

    func chatStats(_ chatID: Int64) -> SimulatorChatStats? {
        state.withLock { $0.chats[chatID]?.stats }
    }

    func callbackAnswers() -> [SimulatedCallbackAnswer] {
        state.withLock { $0.callbackAnswers }
    }

    func reset() {
        state.withLock { $0.reset() }
    }

    func finish() {
        webhookWakeContinuation.finish()
        state.withLock { $0.wakePoller(.cancelled) }
    }
}
