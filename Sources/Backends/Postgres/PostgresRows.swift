import Core
import Foundation

/// Column lists and row conversions shared by the store's queries. Slots are stored as minutes
/// since midnight (`smallint`), dates as `date` read back through `to_char` so the server's
/// `DateStyle` cannot change the text.
enum PostgresRows {
    /// `subscribers` columns in the order `subscriber(_:)` decodes them.
    static func subscriberColumns(_ table: String) -> String {
        "\(table).id, \(table).chat_id, \(table).language, \(table).time_zone, \(table).status, \(table).slots, \(table).topics"
    }

    typealias SubscriberRow = (Int64, Int64, String, String?, String, [Int16], [String])

    static func subscriber(_ row: SubscriberRow) throws -> Subscriber {
        guard let status = UserStatus(rawValue: row.4) else {
            throw NewsbotError(.storage, "postgres: unknown subscriber status '\(row.4)'")
        }
        var subscriber = Subscriber(id: row.0, chatID: row.1, language: Language(rawValue: row.2) ?? .en,
                                    timeZone: row.3, status: status)
        // Stored as given (already normalised by Subscriber's initialiser or update).
        subscriber.slots = try row.5.map(slot)
        subscriber.topics = row.6.compactMap(Topic.init)
        return subscriber
    }

    /// `digest_messages` columns in the order `message(_:)` decodes them.
    static let messageColumns = """
        m.user_id, m.slot, to_char(m.local_date, 'YYYY-MM-DD'), m.part, m.run_pipeline, m.run_slot, \
        to_char(m.run_date, 'YYYY-MM-DD'), m.chat_id, m.parts, m.text, m.urls, m.delivered_at, m.failure
        """

    typealias MessageRow = (Int64, Int16, String, Int, String, Int16, String, Int64, Int, String, [String], Date?, String?)

    static func message(_ row: MessageRow) throws -> DigestMessage {
        let key = DeliveryKey(userID: row.0, slot: try slot(row.1), date: try date(row.2), part: row.3)
        let run = SlotRunKey(pipeline: row.4, slot: try slot(row.5), date: try date(row.6))
        return DigestMessage(key: key, run: run, chatID: row.7, parts: row.8, text: row.9, urls: row.10,
                             deliveredAt: row.11, failure: row.12)
    }

    static func slot(_ minutes: Int16) throws -> Slot {
        guard let slot = Slot(hour: Int(minutes) / 60, minute: Int(minutes) % 60) else {
            throw NewsbotError(.storage, "postgres: invalid slot \(minutes)")
        }
        return slot
    }

    static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(text) else { throw NewsbotError(.storage, "postgres: invalid date '\(text)'") }
        return date
    }

    static func minutes(_ slot: Slot) -> Int16 { Int16(slot.minuteOfDay) }
}
