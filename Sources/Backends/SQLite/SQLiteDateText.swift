import Core

/// `LocalDate.description` remembered per date: bulk writes name the same one or two dates
/// a hundred thousand times.
struct SQLiteDateText {
    private var cache: [LocalDate: String] = [:]

    mutating func text(_ date: LocalDate) -> String {
        if let text = cache[date] { return text }
        let text = date.description
        cache[date] = text
        return text
    }
}
