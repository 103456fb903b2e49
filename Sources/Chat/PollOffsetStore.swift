import Core

/// Where the long poller keeps its `getUpdates` offset between runs: a record in the
/// conversation-state store under a reserved key that no Telegram chat can have, so the embedded
/// SQLite file (or Redis) that holds the conversations holds the offset too, and a restart
/// continues after the last applied update instead of re-reading or losing any.
actor PollOffsetStore {
    /// The reserved key: below every Telegram chat id (supergroups start at -100…, in the
    /// -10¹³ range).
    static let defaultKey = Int64.min

    private let states: any ConversationStateStore
    private let key: Int64
    private let ttl: Duration
    private var version: Int64?
    private static let step = "poll.offset"

    init(states: any ConversationStateStore, key: Int64 = PollOffsetStore.defaultKey, ttl: Duration) {
        self.states = states
        self.key = key
        self.ttl = ttl
    }

    /// The stored offset, nil on the first run.
    func load() async throws -> Int64? {
        let stored = try await states.load(chatID: key)
        version = stored?.version
        return stored.flatMap { $0.state.step == Self.step ? $0.state.data["offset"].flatMap { Int64($0) } : nil }
    }

    /// Stores `offset`; never moves it backwards if another writer got further.
    func save(_ offset: Int64) async throws {
        for _ in 0..<3 {
            let state = ConversationState(step: Self.step, data: ["offset": String(offset)])
            if let saved = try await states.save(state, chatID: key, expectedVersion: version, ttl: ttl) {
                version = saved
                return
            }
            if let stored = try await load(), stored >= offset { return }
        }
    }
}
