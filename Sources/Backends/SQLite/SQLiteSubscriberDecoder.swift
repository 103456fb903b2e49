import Core

/// Turns subscriber rows into `Subscriber`s, remembering the decoded topic and slot lists: a page
/// of a thousand due subscribers holds only a handful of distinct lists, and normalising topics
/// again for every row was most of the cost of reading 100k subscribers.
struct SQLiteSubscriberDecoder {
    private var topics: [String: [Topic]] = [:]
    private var slots: [String: [Slot]] = [:]

    static let columns = columns("subscribers")

    static func columns(_ table: String) -> String {
        ["id", "chat_id", "language", "time_zone", "status", "slots", "topics"].map { "\(table).\($0)" }.joined(separator: ", ")
    }

    mutating func decode(_ row: SQLiteStatement) -> Subscriber {
        let slotText = row.text(5)
        let topicText = row.text(6)
        let slotList = slots[slotText] ?? {
            let decoded = slotText.split(separator: ",").compactMap { Slot(String($0)) }
            slots[slotText] = decoded
            return decoded
        }()
        let topicList = topics[topicText] ?? {
            let decoded = SQLiteListCodec.decode(topicText).compactMap(Topic.init)
            topics[topicText] = decoded
            return decoded
        }()
        return Subscriber(id: row.int64(0), chatID: row.int64(1),
                          language: Language(rawValue: row.text(2)) ?? .en,
                          timeZone: row.optionalText(3),
                          // An unknown status (written by a newer version) must not start sending.
                          status: UserStatus(rawValue: row.text(4)) ?? .paused,
                          slots: slotList, topics: topicList)
    }
}
