import Core
import Foundation

/// Small builders so contract tests read as the behaviour they check.
enum ContractFixtures {
    static let morning = Slot(hour: 8, minute: 0)!
    static let evening = Slot(hour: 19, minute: 30)!
    static let day = LocalDate(year: 2026, month: 11, day: 26)!
    static let run = SlotRunKey(pipeline: "daily", slot: morning, date: day)
    /// A TTL or lease for checks that are not about expiry. Redis keeps time for real, and a
    /// starved CI machine has stalled a test (or the server) for more than 4 s between two
    /// commands: a short TTL there lets the key expire in between and fails a check that has
    /// nothing to do with time. Expiry itself is tested with short TTLs and `kept` guards.
    static let outlivesTheTest: Duration = .seconds(600)

    static func subscriber(_ id: Int64, slots: [Slot] = [morning], zone: String? = "Europe/Berlin",
                           status: UserStatus = .active, topics: [String] = ["python"],
                           language: Language = .en) -> Subscriber {
        Subscriber(id: id, chatID: id + 1_000_000, language: language, timeZone: zone, status: status, slots: slots,
                   topics: topics.compactMap(Topic.init))
    }

    static func key(_ userID: Int64, part: Int = 1, slot: Slot = morning, date: LocalDate = day) -> DeliveryKey {
        DeliveryKey(userID: userID, slot: slot, date: date, part: part)
    }

    /// All parts of one user's digest for `run`.
    static func digest(_ userID: Int64, parts: Int = 1, run: SlotRunKey = run, text: String = "news",
                       urls: [String]? = nil) -> [DigestMessage] {
        (1...parts).map { part in
            DigestMessage(key: key(userID, part: part, slot: run.slot, date: run.date), run: run, chatID: userID + 1_000_000,
                          parts: parts, text: "\(text) \(userID) part \(part)/\(parts)",
                          urls: urls ?? ["https://example.com/\(userID)/\(part)"])
        }
    }

    static func payload(_ text: String) -> Data { Data(text.utf8) }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}
