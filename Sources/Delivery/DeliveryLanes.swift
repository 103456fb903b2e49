import Core
import Synchronization

/// The jobs one worker run holds, queued per chat: one task works through a chat's lane in
/// arrival order, so the parts of a digest reach the person in order and never compete for
/// that chat's 1 msg/s token. Also counts held jobs (the concurrency bound) and carries the
/// run's stop flag.
final class DeliveryLanes: Sendable {
    typealias Item = (job: ReceivedJob, message: DeliveryJob)

    private struct State {
        var lanes: [Int64: [Item]] = [:]
        var held = 0
        var stopping = false
        /// The run's watcher, woken by `stop()` so a run blocked waiting for a lane notices.
        var stopWaiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Queues `item` on its chat's lane. Returns true when the lane is new: the caller then
    /// starts a task that drains it with `next(chatID:)`.
    func add(_ item: Item) -> Bool {
        state.withLock { s in
            s.held += 1
            if s.lanes[item.message.chatID] != nil {
                s.lanes[item.message.chatID]!.append(item)
                return false
            }
            s.lanes[item.message.chatID] = [item]
            return true
        }
    }

    /// The lane's next item, removed from it; nil closes the lane (its task then ends).
    /// The previous item must have been settled with `finish()` before.
    func next(chatID: Int64) -> Item? {
        state.withLock { s in
            guard var lane = s.lanes[chatID] else { return nil }
            if lane.isEmpty {
                s.lanes[chatID] = nil
                return nil
            }
            let item = lane.removeFirst()
            s.lanes[chatID] = lane
            return item
        }
    }

    /// One job is settled (acked, retried, dead-lettered or released).
    func finish() {
        state.withLock { $0.held -= 1 }
    }

    /// Jobs received and not settled yet, running or waiting in a lane.
    var held: Int { state.withLock { $0.held } }

    /// Set on graceful shutdown: lanes hand back what they have not started.
    var isStopping: Bool { state.withLock { $0.stopping } }

    func stop() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.stopping = true
            defer { s.stopWaiter = nil }
            return s.stopWaiter
        }
        waiter?.resume()
    }

    /// Returns once `stop()` is called (or the task is cancelled). One waiter at a time.
    func waitForStop() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.stopping || Task.isCancelled { return true }
                    s.stopWaiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.stopWaiter = nil }
                return s.stopWaiter
            }
            waiter?.resume()
        }
    }
}
