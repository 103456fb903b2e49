/// One chat's FSM position and the data collected so far in the flow.
public struct ConversationState: Sendable, Hashable, Codable {
    /// The FSM state name, e.g. `subscribe.topic`.
    public var step: String
    public var data: [String: String]
    /// The last update applied to this chat, so a replayed or older update is recognised.
    public var lastUpdateID: Int64?

    public init(step: String, data: [String: String] = [:], lastUpdateID: Int64? = nil) {
        self.step = step
        self.data = data
        self.lastUpdateID = lastUpdateID
    }
}
