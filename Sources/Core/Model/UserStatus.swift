/// Whether a subscriber receives digests. `blocked` is set when Telegram says the bot can no
/// longer write to them (403, chat not found, or a `my_chat_member` kick).
public enum UserStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case paused
    case blocked
}
