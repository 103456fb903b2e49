import Synchronization

/// Per-chat mutual exclusion inside one process, first come first served: updates of one chat
/// are applied one after another in arrival order, while different chats run in parallel. Across
/// processes the chat's lease in the state store does the same job; this keeps one process from
/// racing itself (and polling the store while it waits).
final class ChatSerializer: Sendable {
    /// Chats being worked on, each with the tasks queued behind the current holder.
    private let held = Mutex<[Int64: [CheckedContinuation<Void, Never>]]>([:])

    init() {}

    func run<T: Sendable>(_ chatID: Int64, _ body: () async throws -> T) async throws -> T {
        await acquire(chatID)
        defer { release(chatID) }
        return try await body()
    }

    /// Chats currently held; for tests and metrics.
    var busyChats: Int { held.withLock { $0.count } }

    private func acquire(_ chatID: Int64) async {
        let free = held.withLock { held -> Bool in
            guard held[chatID] == nil else { return false }
            held[chatID] = []
            return true
        }
        if free { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let handedOver = held.withLock { held -> Bool in
                // Released between the two locks: take it now.
                guard held[chatID] != nil else {
                    held[chatID] = []
                    return true
                }
                held[chatID]!.append(continuation)
                return false
            }
            if handedOver { continuation.resume() }
        }
    }

    /// Hands the chat to the next waiter (it stays held), or frees it.
    private func release(_ chatID: Int64) {
        let next = held.withLock { held -> CheckedContinuation<Void, Never>? in
            guard var waiters = held[chatID], !waiters.isEmpty else {
                held[chatID] = nil
                return nil
            }
            let first = waiters.removeFirst()
            held[chatID] = waiters
            return first
        }
        next?.resume()
    }
}
