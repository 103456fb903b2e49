/// A stored conversation state with the version a compare-and-set must name.
public struct VersionedConversationState: Sendable, Hashable {
    public var state: ConversationState
    public var version: Int64

    public init(state: ConversationState, version: Int64) {
        self.state = state
        self.version = version
    }
}
