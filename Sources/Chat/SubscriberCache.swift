import Core
import Synchronization

/// The subscriber each private chat last saw in this process, so a command that only shows
/// things (`/help`, `/topics`, a flow step) does not read the subscriber store again.
///
/// An entry is used only while nothing could have changed the subscriber behind it:
/// - the chat's stored `lastUpdateID` is still the update this process applied last, so no
///   other process has applied an update of this chat since (every subscriber write of the chat
///   front happens inside such an update, and a private chat's user is its chat);
/// - it is younger than `maxAge`, which bounds what the router does not see: the delivery
///   stage marking the user blocked, or the same user changing their subscription from a group
///   chat through another process.
///
/// Decisions that depend on those changes (`/start`, `my_chat_member`) read the store anyway,
/// and every write reads the row afresh inside its transaction, so a stale entry can at worst
/// show an answer that is `maxAge` old; it never loses or overwrites a change.
final class SubscriberCache: Sendable {
    private struct Entry {
        var lastUpdateID: Int64
        var subscriber: Subscriber?
        var storedAt: ContinuousClock.Instant
    }

    let maxAge: Duration
    let capacity: Int
    private let entries = Mutex<[Int64: Entry]>([:])

    /// - Parameter maxAge: `.zero` turns the cache off.
    init(maxAge: Duration, capacity: Int = 100_000) {
        self.maxAge = maxAge
        self.capacity = max(1, capacity)
    }

    var isEnabled: Bool { maxAge > .zero }

    /// The cached subscriber of private chat `chatID` (`.some(nil)`: known to have none), or nil
    /// when the cache cannot vouch for it.
    func subscriber(chatID: Int64, lastUpdateID: Int64?) -> Subscriber?? {
        guard isEnabled, let lastUpdateID else { return nil }
        let now = ContinuousClock.now
        return entries.withLock { entries -> Subscriber?? in
            guard let entry = entries[chatID] else { return nil }
            guard entry.lastUpdateID == lastUpdateID, now - entry.storedAt < maxAge else {
                entries[chatID] = nil
                return nil
            }
            return .some(entry.subscriber)
        }
    }

    /// Remembers the subscriber as it stands after this process applied `updateID` to the chat.
    func store(_ subscriber: Subscriber?, chatID: Int64, updateID: Int64) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= capacity, entries[chatID] == nil {
                entries = entries.filter { now - $0.value.storedAt < maxAge }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[chatID] = Entry(lastUpdateID: updateID, subscriber: subscriber, storedAt: now)
        }
    }

    /// Forgets what is known of the subscriber (a write the entry may not reflect).
    func forget(_ id: Int64) {
        guard isEnabled else { return }
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    var count: Int { entries.withLock { $0.count } }
}
