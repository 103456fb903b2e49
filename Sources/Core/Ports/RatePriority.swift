/// Replies to a person go ahead of digest broadcasts.
public enum RatePriority: Sendable, Hashable, Codable {
    case bulk
    case interactive
}
