/// A header or queue-argument value: the two kinds this backend writes (strings and
/// integers); other kinds the broker adds (e.g. `x-death` arrays) are skipped when read.
enum AMQPField {
    case string(String)
    case int(Int64)
}
