/// Where a chat stands in a conversation. The raw value is what the conversation-state store
/// keeps (`ConversationState.step`), so renaming a case is a data migration.
public enum ChatStep: String, Sendable, Hashable, CaseIterable {
    /// No flow in progress.
    case idle
    /// `/subscribe`: waiting for a topic.
    case subscribeTopic = "subscribe.topic"
    /// `/subscribe`: topic chosen, waiting for a delivery time.
    case subscribeSlot = "subscribe.slot"
    /// `/subscribe`: topic and time chosen, waiting for a time zone (asked only while unset).
    case subscribeZone = "subscribe.zone"
    /// `/time`: waiting for a time to add or remove, or a time zone.
    case timeMenu = "time.menu"
    /// `/time` → time zone: waiting for a time zone.
    case timeZone = "time.zone"
    /// `/lang` without an argument: waiting for a language.
    case language = "lang"

    /// Whether this step is part of a multi-step flow that `/cancel` leaves and the flow TTL expires.
    public var isInFlow: Bool { self != .idle }
}
