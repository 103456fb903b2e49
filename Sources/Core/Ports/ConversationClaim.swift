/// What `ConversationStateStore.claim` found.
public enum ConversationClaim: Sendable, Hashable {
    /// The chat is the caller's: the stored state (or the fresh one) with the caller's lease
    /// written into it, and the version to save with.
    case claimed(VersionedConversationState)
    /// The update is at or below the state's `lastUpdateID`: applied already, or older than one
    /// that was.
    case applied(lastUpdateID: Int64)
    /// Another live lease holds the chat.
    case busy
}
