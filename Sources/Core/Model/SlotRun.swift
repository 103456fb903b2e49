import Foundation

/// A slot run as stored, with counts derived from its users and messages.
public struct SlotRun: Sendable, Hashable, Codable {
    public var key: SlotRunKey
    public var createdAt: Date
    public var updatedAt: Date
    /// Set once every due user is processed and every message delivered or failed.
    public var completedAt: Date?
    public var counts: SlotRunCounts

    public init(key: SlotRunKey, createdAt: Date, updatedAt: Date, completedAt: Date? = nil, counts: SlotRunCounts = .init()) {
        self.key = key
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.counts = counts
    }

    /// True when nothing is left to do: all users rendered or skipped, all messages settled.
    public var isFinished: Bool {
        completedAt != nil || (counts.usersPending == 0 && counts.messagesPending == 0)
    }
}
