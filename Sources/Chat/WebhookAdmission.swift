import Synchronization

/// Bounds the webhook requests being applied at once. Beyond the bound a request is refused at
/// once (503) instead of queueing: Telegram redelivers it later, and the process never accepts
/// work it cannot finish (the failure mode of a single-process bot that takes everything and
/// starves itself under load).
final class WebhookAdmission: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place; false when all are taken.
    func tryEnter() -> Bool {
        let (_, now) = inFlight.add(1, ordering: .acquiringAndReleasing)
        if now <= limit { return true }
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
        return false
    }

    func leave() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }

    var current: Int { inFlight.load(ordering: .relaxed) }
}
