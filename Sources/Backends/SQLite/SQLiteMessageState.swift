/// `digest_messages.state`: one small integer so run progress is a `GROUP BY` over an index.
enum SQLiteMessageState: Int {
    case pending = 0
    case delivered = 1
    case failed = 2
}
