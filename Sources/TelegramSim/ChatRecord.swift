/// Everything the simulator keeps for one chat, held in place in a dictionary so that
/// recording a message never copies the chat's history.
struct ChatRecord: Sendable {
    var secondWindow = SlidingWindow(span: .seconds(1))
    /// The per-chat limit when bursts are allowed (`SimulatorRateLimits.perChatBurst` > 1).
    var burst = BurstBudget()
    /// Used for groups only (negative ids): the 20-per-minute limit.
    var minuteWindow = SlidingWindow(span: .seconds(60))
    var lastMessageID: Int64 = 0
    var stats: SimulatorChatStats
    /// Accepted messages in message-id order (message id n is at index n - 1), when
    /// recording is on.
    var messages: [SimulatedMessage] = []

    init(chatID: Int64) {
        self.stats = SimulatorChatStats(chatID: chatID)
    }
}
