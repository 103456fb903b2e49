/// What the simulator observed since start or the last reset. Load tests read
/// `maxGlobalPerSecond` / `maxChatPerSecond` to prove the delivery loop stayed within
/// Telegram's limits, and `tooManyRequests` to see how often it hit them.
public struct SimulatorStats: Codable, Sendable, Hashable {
    /// `sendMessage` calls accepted.
    public var accepted: Int = 0
    /// `editMessageText` calls accepted.
    public var edited: Int = 0
    /// 429 answers.
    public var tooManyRequests: Int = 0
    /// Answers produced by an injected fault (403 / 400 / 5xx).
    public var faultsAnswered: Int = 0
    /// Other 4xx answers: invalid text, HTML, keyboard, unknown method or token.
    public var rejected: Int = 0
    /// Most messages accepted within any sliding 1-second window, over all chats.
    public var maxGlobalPerSecond: Int = 0
    /// Most messages accepted within any sliding 1-second window by a single chat.
    public var maxChatPerSecond: Int = 0
    /// Most messages accepted within any sliding 1-minute window by a single group.
    public var maxGroupPerMinute: Int = 0
    public var updatesInjected: Int = 0
    /// Updates handed out by getUpdates or confirmed by the webhook with a 2xx.
    public var updatesDelivered: Int = 0
    /// Webhook calls that failed (non-2xx or no answer); they are retried.
    public var webhookFailures: Int = 0
    /// getUpdates answered 409 because another poller took over or a webhook was set.
    public var conflicts: Int = 0
    public var callbackQueriesAnswered: Int = 0
    /// Callback queries injected but not answered yet.
    public var callbackQueriesPending: Int = 0
    /// Per-chat counters, ordered by chat id (empty when not requested).
    public var chats: [SimulatorChatStats] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case accepted, edited
        case tooManyRequests = "too_many_requests"
        case faultsAnswered = "faults_answered"
        case rejected
        case maxGlobalPerSecond = "max_global_per_second"
        case maxChatPerSecond = "max_chat_per_second"
        case maxGroupPerMinute = "max_group_per_minute"
        case updatesInjected = "updates_injected"
        case updatesDelivered = "updates_delivered"
        case webhookFailures = "webhook_failures"
        case conflicts
        case callbackQueriesAnswered = "callback_queries_answered"
        case callbackQueriesPending = "callback_queries_pending"
        case chats
    }
}
