import Core
import Synchronization

/// Parses stored `YYYY-MM-DD` dates through a small shared cache: `LocalDate("…")` validates
/// through a `Calendar`, which cost more than the rest of reading a delivery-ledger row, and the
/// ledger only ever holds a few distinct dates.
enum SQLiteDateParser {
    private static let cache = Mutex<[String: LocalDate]>([:])

    static func date(_ text: String) -> LocalDate? {
        if let cached = cache.withLock({ $0[text] }) { return cached }
        guard let date = LocalDate(text) else { return nil }
        cache.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[text] = date
        }
        return date
    }
}
